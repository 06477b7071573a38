import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestContext } from './context.ts';
import type { Logger } from '../platform/logger.ts';

/** A logger that only remembers what its children were bound to. */
function recordingLogger(bound: Array<Record<string, unknown>>): Logger {
  const logger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: (b) => (bound.push(b), logger) };
  return logger;
}

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const deps = (bound: Array<Record<string, unknown>>) => ({ verify: async () => undefined, db: {}, logger: recordingLogger(bound) }) as never;

describe('the request context', () => {
  it('binds the request id and the trace id to the request’s log lines', async () => {
    const bound: Array<Record<string, unknown>> = [];
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const ctx = await requestContext(request({ 'x-request-id': 'req-1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` }), deps(bound));
    expect(ctx.traceparent).toBe(`00-${traceId}-00f067aa0ba902b7-01`);
    expect(bound).toEqual([{ requestId: 'req-1', traceId }]);
  });

  it('drops a malformed traceparent rather than passing it on', async () => {
    const bound: Array<Record<string, unknown>> = [];
    const ctx = await requestContext(request({ 'x-request-id': 'req-2', traceparent: 'not-a-trace' }), deps(bound));
    expect(ctx.traceparent).toBeUndefined();
    expect(bound).toEqual([{ requestId: 'req-2' }]);
  });

  it.each([
    ['empty', ''],
    ['oversized', 'x'.repeat(12_000)],
    ['with control characters', 'req\u0000\n1'],
    ['with a lone surrogate', 'req-\ud800'],
  ])('replaces a request id that is %s by a generated one', async (_what, header) => {
    const ctx = await requestContext(request({ 'x-request-id': header }), deps([]));
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed request id, such as the gateway’s', async () => {
    const ctx = await requestContext(request({ 'x-request-id': 'c0ffee00-1111-4222-8333-444455556666' }), deps([]));
    expect(ctx.requestId).toBe('c0ffee00-1111-4222-8333-444455556666');
  });
});
