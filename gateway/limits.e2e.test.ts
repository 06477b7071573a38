import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './server.ts';
import { send, startEdgeGateway } from './testing/edge.ts';
import { startTestGraph, type TestGraph } from './testing/harness.ts';

const LIMITS = {
  GATEWAY_MAX_DEPTH: '6',
  GATEWAY_MAX_ALIASES: '5',
  GATEWAY_MAX_DIRECTIVES: '5',
  GATEWAY_MAX_TOKENS: '300',
  GATEWAY_MAX_COST: '300',
  GATEWAY_MAX_BODY_BYTES: '4096',
};

/** Subgraph fetches the gateway has made so far, from its own metrics. */
async function subgraphFetches(gatewayUrl: string): Promise<number> {
  const text = (await send(new URL('/metrics', gatewayUrl).toString())).body as string;
  return [...text.matchAll(/^graphql_subgraph_fetch_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('operation limits, checked before execution', () => {
  let g: TestGraph;
  let token: string;
  beforeAll(async () => {
    g = await startTestGraph('pglite', LIMITS);
    token = await g.login('dispatcher@demo.test');
  });
  afterAll(() => g?.close());

  const refused = async (query: string, code: string, variables?: Record<string, unknown>) => {
    const before = await subgraphFetches(g.url);
    const res = await send(g.url, { body: { query, variables }, headers: { authorization: `Bearer ${token}` } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions.code).toBe(code);
    // Refused before execution: no subgraph was asked anything.
    expect(await subgraphFetches(g.url)).toBe(before);
    return res.body.errors[0];
  };
  const allowed = async (query: string, variables?: Record<string, unknown>) => {
    const res = await send(g.url, { body: { query, variables }, headers: { authorization: `Bearer ${token}` } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };

  it('refuses an operation nested deeper than the limit, and runs one at the limit', async () => {
    await allowed('{ me { organization { orders(first: 1) { edges { node { id } } } } } }');
    // The counter the refusals below rely on does count fetches.
    expect(await subgraphFetches(g.url)).toBeGreaterThan(0);
    const error = await refused('{ me { organization { orders(first: 1) { edges { node { customer { id } } } } } } }', 'OPERATION_TOO_DEEP');
    expect(error.extensions).toMatchObject({ limit: 6, actual: 7 });
    expect(error.message).toMatch(/nested too deeply/);
  });

  it('counts depth through fragments', async () => {
    await refused(
      'query { me { ...U } } fragment U on User { organization { orders(first: 1) { edges { node { customer { id } } } } } }',
      'OPERATION_TOO_DEEP',
    );
  });

  it('refuses alias bombs', async () => {
    await allowed('{ a: __typename b: __typename c: __typename d: __typename e: __typename }');
    await refused('{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename }', 'OPERATION_TOO_MANY_ALIASES');
  });

  it('refuses directive bombs', async () => {
    const d = '@skip(if: false)';
    await refused(`{ __typename ${d} me ${d} { id ${d} email ${d} name ${d} roles ${d} } }`, 'OPERATION_TOO_MANY_DIRECTIVES');
  });

  it('refuses documents with too many tokens', async () => {
    await refused(`{ me { ${'id '.repeat(400)}} }`, 'OPERATION_TOO_MANY_TOKENS');
  });

  it('estimates cost from list sizes, literal or from variables', async () => {
    const query = 'query($n: Int) { orders(first: $n) { edges { node { id reference } } } }';
    expect(await allowed(query, { n: 10 })).toHaveProperty('orders.edges');
    const error = await refused(query, 'OPERATION_TOO_COMPLEX', { n: 100 });
    // orders 1 + (edges, node, id, reference) × 100
    expect(error.extensions).toMatchObject({ limit: 300, actual: 401 });
    await refused('{ orders(first: 100) { edges { node { id reference } } } }', 'OPERATION_TOO_COMPLEX');
  });

  it('refuses bodies over the configured size with 413', async () => {
    const res = await send(g.url, { body: { query: `{ __typename }${' '.repeat(5_000)}` } });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses batched requests unless batching is enabled', async () => {
    const batch = [{ query: '{ __typename }' }, { query: '{ me { id } }' }];
    const res = await send(g.url, { body: batch });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');

    const batching = await startEdgeGateway({ GATEWAY_ALLOW_BATCHING: 'true' }, { graph: g });
    try {
      const ok = await send(batching.graphqlUrl, { body: batch });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual([{ data: { __typename: 'Query' } }, { data: { me: null } }]);
    } finally {
      await batching.close();
    }
  });
});

describe('the request timeout', () => {
  let hanging: Server;
  let gateway: RunningGateway;
  let g: TestGraph;
  beforeAll(async () => {
    g = await startTestGraph('pglite');
    // A subgraph that accepts requests and never answers.
    hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const urls = Object.fromEntries(g.graph.subgraphs.map((s) => [s.name, s.url]));
    gateway = await startEdgeGateway({ GATEWAY_REQUEST_TIMEOUT_MS: '300' }, { urls: { ...urls, orders: `http://127.0.0.1:${port}/graphql` } });
  });
  afterAll(async () => {
    hanging?.closeAllConnections();
    await new Promise((resolve) => hanging?.close(resolve));
    await gateway?.close();
    await g?.close();
  });

  it('answers 504 GATEWAY_TIMEOUT when the graph does not answer in time, and keeps serving', async () => {
    const res = await send(gateway.graphqlUrl, { body: { query: '{ orders(first: 1) { edges { node { id } } } }' } });
    expect(res.status).toBe(504);
    expect(res.body.errors[0].extensions.code).toBe('GATEWAY_TIMEOUT');
    const fine = await send(gateway.graphqlUrl, { body: { query: '{ me { id } }' } });
    expect(fine.body).toEqual({ data: { me: null } });
  });
});
