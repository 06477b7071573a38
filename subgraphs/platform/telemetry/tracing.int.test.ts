import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { startTracing } from './tracing.ts';

describe('tracing', () => {
  const received: Array<{ path: string; type: string | undefined; body: string }> = [];
  const collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', type: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  afterAll(() => collector.close());

  it('stays off (the no-op API) when no collector is configured', () => {
    expect(startTracing(loadConfig({ NODE_ENV: 'test' }), { serviceName: 'x' })).toBeUndefined();
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
  });

  it('exports spans over OTLP/HTTP to the configured collector, under the service name', async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const tracing = startTracing(loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), { serviceName: 'orders' });
    expect(tracing).toBeDefined();
    trace.getTracer('voidtracker-test').startActiveSpan('priced an order', (span) => span.end());
    await tracing!.flush();
    await tracing!.shutdown();
    expect(received.length).toBeGreaterThan(0);
    const [first] = received;
    expect(first!.path).toBe('/v1/traces');
    expect(first!.body).toContain('priced an order');
    expect(first!.body).toContain('orders');
    // Shut down means back to the no-op API.
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
  });
});
