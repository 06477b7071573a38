import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = () => trace.getTracer('voidtracker-http');

/**
 * Runs one HTTP request inside a SERVER span that continues the caller's `traceparent`, so the
 * gateway's fetches, the subgraph's resolvers, its database queries and the events it writes all
 * land in the caller's trace. A no-op span when no SDK is registered.
 */
export function withServerSpan(
  component: string,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  work: () => Promise<void> | void,
): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer().startSpan(
    `${req.method ?? 'GET'} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method ?? 'GET',
        'url.path': route,
        'voidtracker.component': component,
        ...(typeof req.headers['x-request-id'] === 'string' ? { 'voidtracker.request_id': req.headers['x-request-id'] } : {}),
      },
    },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), async () => {
    await work();
  });
}
