import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../subgraphs/platform/config.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { startGateway, type RunningGateway } from './server.ts';
import { orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const ORDER_WITH_QUOTE = 'query($id: ID!) { order(id: $id) { id status quote { total } } }';

/** A stand-in subgraph: answers every request with `reply`, or never when `reply` is null. */
async function fakeSubgraph(reply: { status: number; body: string } | null): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    if (!reply) return; // hold the connection open: a hung subgraph
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

describe('a graph with a failing part', () => {
  let g: TestGraph;
  let token: string;
  let orderId: string;
  const gateways: RunningGateway[] = [];
  const servers: Server[] = [];

  /** A second gateway over the same subgraphs, but with billing routed to `billingUrl`. */
  async function gatewayWithBilling(billingUrl: string, overrides: Partial<Config['gateway']> = {}, env: Config['env'] = 'test') {
    const urls = Object.fromEntries(g.graph.subgraphs.map((s) => [s.name, s.url]));
    const config: Config = { ...g.config, env, gateway: { ...g.config.gateway, ...overrides } };
    const gw = await startGateway(config, createLogger('silent'), { urls: { ...urls, billing: billingUrl }, port: 0 });
    gateways.push(gw);
    return gw;
  }

  beforeAll(async () => {
    g = await startTestGraph('pglite');
    token = await g.login('customer@demo.test');
    const created = await g.gql<{ createOrder: { id: string } }>(
      'mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }',
      { i: orderInput() },
      token,
    );
    orderId = created.data!.createOrder.id;
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.close();
    for (const s of servers) s.closeAllConnections(), s.close();
    await g?.close();
  });

  it.each(['test', 'production'] as const)('answers with the other parts and names the unreachable subgraph (%s)', async (env) => {
    const gw = await gatewayWithBilling('http://127.0.0.1:9/graphql', {}, env);
    const res = await g.gql(ORDER_WITH_QUOTE, { id: orderId }, token, gw.graphqlUrl);
    expect(res.status).toBe(200);
    expect(res.data?.order).toMatchObject({ id: orderId, status: 'CREATED', quote: null });
    expect(res.errors).toEqual([
      { message: 'The billing subgraph is unavailable.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'billing' } },
    ]);
  });

  it('gives up on a hung subgraph after the subgraph timeout, keeping the rest of the answer', async () => {
    const hung = await fakeSubgraph(null);
    servers.push(hung.server);
    const gw = await gatewayWithBilling(hung.url, { subgraphTimeoutMs: 300, requestTimeoutMs: 60_000 });
    const res = await g.gql(ORDER_WITH_QUOTE, { id: orderId }, token, gw.graphqlUrl);
    expect(res.status).toBe(200);
    expect(res.data?.order).toMatchObject({ id: orderId, quote: null });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'billing' });
  });

  it('masks a subgraph\'s internal error in production but still says which subgraph failed', async () => {
    const broken = await fakeSubgraph({
      status: 200,
      body: JSON.stringify({ data: null, errors: [{ message: 'password authentication failed for user "billing"', extensions: { code: 'DB_DOWN' } }] }),
    });
    servers.push(broken.server);
    const gw = await gatewayWithBilling(broken.url, {}, 'production');
    const res = await g.gql(ORDER_WITH_QUOTE, { id: orderId }, token, gw.graphqlUrl);
    expect(res.data?.order).toMatchObject({ id: orderId, quote: null });
    expect(JSON.stringify(res.errors)).not.toMatch(/password/);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Internal server error \(request [0-9a-f-]{36}\)\.$/), extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing', requestId: expect.any(String) } });
  });

  it('answers garbage from a subgraph as that subgraph being unavailable', async () => {
    const garbage = await fakeSubgraph({ status: 502, body: '<html>bad gateway</html>' });
    servers.push(garbage.server);
    const gw = await gatewayWithBilling(garbage.url);
    const res = await g.gql(ORDER_WITH_QUOTE, { id: orderId }, token, gw.graphqlUrl);
    expect(res.data?.order).toMatchObject({ id: orderId, quote: null });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'billing' });
  });
});

/** Writes the file the way deploy tools do: a new file renamed over the old one. */
async function replace(path: string, content: string) {
  await writeFile(`${path}.next`, content);
  await rename(`${path}.next`, path);
}

describe('supergraph hot reload', () => {
  let g: TestGraph;
  let dir: string;
  let path: string;
  let original: string;
  const PRICE = 'query($i: PriceQuoteInput!) { priceQuote(input: $i) { total } }';
  const QUOTE_INPUT = { i: { parcels: [{ weightKg: 2 }], distanceKm: 10 } };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-supergraph-'));
    path = join(dir, 'supergraph.graphql');
    await copyFile('schemas/supergraph.graphql', path);
    original = await readFile(path, 'utf8');
    g = await startTestGraph('pglite', { SUPERGRAPH_PATH: path, GATEWAY_SUPERGRAPH_POLL_MS: '50' });
  });
  afterAll(async () => {
    await g?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies a changed supergraph without a restart and without failing a request in flight', async () => {
    const finance = await g.login('finance@demo.test');
    expect((await g.gql(PRICE, QUOTE_INPUT, finance)).errors).toBeUndefined();

    // Keep requests flowing across both reloads; every one of them must succeed.
    let stop = false;
    const failures: unknown[] = [];
    let served = 0;
    const load = (async () => {
      while (!stop) {
        const res = await g.gql('{ me { email } }', {}, finance).catch((error: unknown) => ({ error }));
        if (!('status' in res) || res.status !== 200 || res.errors) failures.push(res);
        served++;
      }
    })();

    const withoutPriceQuote = original.replace(/\n( *"""[^"]*"""\n)? *priceQuote\(input: PriceQuoteInput!\): Quote! @join__field\(graph: BILLING\)\n/, '\n');
    expect(withoutPriceQuote).not.toBe(original);
    await replace(path, withoutPriceQuote);
    await eventually('the field to disappear', async () => (await g.gql(PRICE, QUOTE_INPUT, finance)).errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');

    await replace(path, original);
    await eventually('the field to come back', async () => (await g.gql(PRICE, QUOTE_INPUT, finance)).errors === undefined);
    stop = true;
    await load;
    expect(served).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('keeps serving the previous supergraph when the new file does not build', async () => {
    const finance = await g.login('finance@demo.test');
    // Written in place, not renamed: the poller may well catch it half-way, which must not matter.
    await writeFile(path, 'this is not a supergraph {');
    // Give the poller several intervals to see (and refuse) it.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await g.gql(PRICE, QUOTE_INPUT, finance)).errors).toBeUndefined();
    await writeFile(path, original);
  });
});
