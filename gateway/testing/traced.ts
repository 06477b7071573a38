import { randomBytes } from 'node:crypto';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { eventually } from '../../subgraphs/platform/events/testing/test-support.ts';

/**
 * Sends one operation to the gateway in a trace of its own and returns its answer with the
 * Prisma operations it caused (`Model.operation`, e.g. `User.findMany`), read from the kernel's
 * tracing, once `component`'s request span has ended. For tests that count queries.
 */
export async function tracedQuery<T>(options: {
  url: string;
  token: string;
  query: string;
  variables?: Record<string, unknown>;
  exporter: InMemorySpanExporter;
  /** The subgraph whose request must have ended before the spans are read. */
  component: string;
  models: readonly string[];
}): Promise<{ body: { data: T; errors?: unknown[] }; operations: string[] }> {
  const traceId = randomBytes(16).toString('hex');
  const res = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${options.token}`,
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
    body: JSON.stringify({ query: options.query, variables: options.variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  // Spans end as their work ends; wait until the subgraph's request span has ended too.
  const spans = await eventually(`${options.component}’s spans of the request`, () => {
    const mine = options.exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    return mine.some((s) => s.kind === 1 && s.attributes['voidtracker.component'] === options.component) ? mine : undefined;
  });
  const operations = spans
    .filter((s) => s.name === 'prisma:client:operation' && options.models.includes(String(s.attributes.model)))
    .map((s) => String(s.attributes.name));
  return { body, operations };
}
