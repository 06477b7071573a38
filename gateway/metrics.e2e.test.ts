import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startEdgeGateway } from './testing/edge.ts';
import { startTestGraph, type TestGraph } from './testing/harness.ts';

/** The value of one sample of the exposition text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('Prometheus metrics at /metrics', () => {
  let g: TestGraph;
  let metricsText: () => Promise<string>;
  beforeAll(async () => {
    g = await startTestGraph('pglite');
    metricsText = async () => {
      const res = await fetch(new URL('/metrics', g.url));
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      return res.text();
    };
    const token = await g.login('dispatcher@demo.test');
    const headers = { authorization: `Bearer ${token}`, 'apollographql-client-name': 'dispatch-web' };
    for (let i = 0; i < 3; i++) await send(g.url, { body: { query: 'query MyOrders { orders(first: 2) { edges { node { id } } } }' }, headers });
    await send(g.url, { body: { query: 'query Whoami { me { email organization { name } } }' }, headers: { authorization: `Bearer ${token}` } });
    await send(g.url, { body: { query: '{ nope }' } });
  });
  afterAll(() => g?.close());

  it('times requests by operation name and client name', async () => {
    const text = await metricsText();
    expect(sample(text, 'graphql_request_duration_seconds_count', { operation_name: 'MyOrders', client_name: 'dispatch-web' })).toBe(3);
    expect(sample(text, 'graphql_request_duration_seconds_count', { operation_name: 'Whoami', client_name: 'unknown' })).toBe(1);
    expect(sample(text, 'graphql_request_duration_seconds_bucket', { operation_name: 'MyOrders', client_name: 'dispatch-web', le: '+Inf' })).toBe(3);
  });

  it('times fetches by subgraph', async () => {
    const text = await metricsText();
    expect(sample(text, 'graphql_subgraph_fetch_duration_seconds_count', { subgraph: 'orders', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'graphql_subgraph_fetch_duration_seconds_count', { subgraph: 'iam', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
  });

  it('counts errors by code', async () => {
    const text = await metricsText();
    expect(sample(text, 'graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sample(text, 'graphql_rate_limited_total')).toBe(0);
  });

  it('has each subgraph time what it served, by the client’s operation and client name', async () => {
    const orders = g.graph.subgraphs.find((s) => s.name === 'orders')!;
    const text = await (await fetch(new URL('/metrics', orders.url))).text();
    const labels = { subgraph: 'orders', operation_name: 'MyOrders', operation_type: 'query', client_name: 'dispatch-web' };
    expect(sample(text, 'graphql_subgraph_request_duration_seconds_count', labels)).toBe(3);
    // The event metrics still share the scrape.
    expect(text).toMatch(/voidtracker_outbox_backlog/);
  });

  it('includes process metrics and can be turned off', async () => {
    expect(sample(await metricsText(), 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    const off = await startEdgeGateway({ GATEWAY_METRICS: 'false' });
    try {
      expect((await send(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
