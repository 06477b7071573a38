import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../subgraphs/platform/config.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { startTracing, type Tracing } from '../subgraphs/platform/telemetry/tracing.ts';
import { orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const CREATE = 'mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }';

describe('one trace from the client through the gateway, the subgraphs, their databases and the events', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let g: TestGraph;

  beforeAll(async () => {
    tracing = startTracing(loadConfig({ NODE_ENV: 'test' }), { serviceName: 'voidtracker-test', exporters: [exporter] });
    g = await startTestGraph('pglite');
  });
  afterAll(async () => {
    await g?.close();
    await tracing?.shutdown();
  });

  it('continues the caller’s traceparent everywhere the request goes', async () => {
    expect(tracing).toBeDefined();
    const token = await g.login('customer@demo.test');
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const res = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${clientSpanId}-01` },
      body: JSON.stringify({ query: CREATE, variables: { i: orderInput() } }),
    });
    expect(((await res.json()) as { data?: unknown }).data).toBeTruthy();

    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const consumed = (group: string) => (s: ReadableSpan) =>
      s.name === 'process voidtracker.orders' && s.attributes['messaging.consumer.group.name'] === group;
    // Billing prices the order and planning pools it, each in a span of the same trace.
    const spans = await eventually('the consumers’ spans', () => {
      const all = inTrace();
      return all.some(consumed('billing')) && all.some(consumed('planning')) ? all : undefined;
    });

    const server = (component: string) => spans.filter((s) => s.kind === 1 && s.attributes['voidtracker.component'] === component);
    const [gatewaySpan] = server('gateway');
    expect(gatewaySpan?.parentSpanContext?.spanId).toBe(clientSpanId);
    expect(spans.some((s) => s.name === 'gateway.fetch')).toBe(true);
    expect(server('orders').length).toBeGreaterThan(0);
    // Prisma's own spans: the queries the orders subgraph ran for this request.
    expect(spans.some((s) => s.name.startsWith('prisma:'))).toBe(true);

    // No span of the trace is an orphan: every parent is the client or another span of the trace.
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const orphans = await eventually('every parent span to end', () => {
      const all = inTrace();
      const known = new Set([clientSpanId, ...all.map((s) => s.spanContext().spanId)]);
      const missing = all.filter((s) => s.parentSpanContext && !known.has(s.parentSpanContext.spanId));
      return missing.length === 0 ? missing : undefined;
    });
    expect(orphans).toEqual([]);
    expect(ids.size).toBeGreaterThan(5);
  });
});
