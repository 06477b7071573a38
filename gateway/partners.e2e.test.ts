import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestIds, runShopFlow } from '../examples/partner-shop/client.ts';
import { ApiKeyCreated, ApiKeyRevoked } from '../subgraphs/iam/events/contracts.ts';
import { newApiKeySecret } from '../subgraphs/kernel/auth/api-key-secret.ts';
import { databaseFor } from '../subgraphs/platform/config.ts';
import { openDatabase } from '../subgraphs/platform/db/database.ts';
import { fromWireMessage, type EventEnvelope } from '../subgraphs/platform/events/envelope.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { operationId, operationsOf, parseManifest, stringifyManifest } from './plugins/partner-manifest.ts';
import type { RunningGateway } from './server.ts';
import { send, startEdgeGateway, type RawResponse } from './testing/edge.ts';
import { availableBackends, availableTransports, orderInput, startTestGraph, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';

const BACKENDS = await availableBackends();
const TRANSPORTS = await availableTransports('partners');
const SHOP = manifestIds('persisted-queries/shop.json');

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id clientName roles prefix principalId active createdAt lastUsedAt revokedAt createdBy { email } } }
}`;
const REVOKE_KEY = 'mutation($id: ID!) { revokeApiKey(id: $id) { id active revokedAt } }';
const LIST_KEYS = `query($first: Int, $after: String, $clientName: String, $includeRevoked: Boolean) {
  apiKeys(first: $first, after: $after, clientName: $clientName, includeRevoked: $includeRevoked) {
    edges { cursor node { id clientName roles active lastUsedAt } } pageInfo { hasNextPage endCursor }
  }
}`;

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const firstError = (res: GqlResponse | RawResponse) => {
  const errors = 'body' in res ? res.body?.errors : res.errors;
  return { code: errors?.[0]?.extensions?.code, field: errors?.[0]?.extensions?.field };
};
const byId = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });
/** A partner request: only an id and variables, with the key in x-api-key (or as `Authorization: ApiKey`). */
const partner = (url: string, secret: string, id: string, variables: Record<string, unknown> = {}, form: 'header' | 'authorization' = 'header') =>
  send(url, {
    body: { variables, extensions: byId(id) },
    headers: form === 'header' ? { 'x-api-key': secret } : { authorization: `ApiKey ${secret}` },
  });

/** How many fetches the gateway has made to subgraphs, from its own metrics. */
async function subgraphFetches(graphqlUrl: string): Promise<number> {
  const text = (await send(new URL('/metrics', graphqlUrl).toString())).body as string;
  return [...text.matchAll(/^graphql_subgraph_fetch_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

const iamEvents = async (g: TestGraph, subject: string): Promise<EventEnvelope[]> =>
  (await g.graph.transport.read(ApiKeyCreated.topic)).map((r) => fromWireMessage(r)).filter((e) => e.subject === subject);

describe.each(BACKENDS)('partner API keys and safelists through the gateway on %s', (backend) => {
  let g: TestGraph;
  let closed = false;
  let manifestDir: string;
  let dataDir: string;
  let admin: string;
  let dispatcher: string;
  let customer: string;
  let shopSecret: string;
  let shopKey: { id: string; principalId: string };
  const manifests: Record<string, string> = {};

  const createKey = async (clientName = 'shop', roles = ['PARTNER']) =>
    ok(await g.gql<{ createApiKey: { secret: string; apiKey: { id: string; principalId: string } } }>(CREATE_KEY, { input: { clientName, roles } }, admin)).createApiKey;

  beforeAll(async () => {
    manifestDir = await mkdtemp(join(tmpdir(), 'vt-partners-'));
    dataDir = await mkdtemp(join(tmpdir(), 'vt-partners-data-'));
    manifests.shop = join(manifestDir, 'shop.json');
    manifests.warehouse = join(manifestDir, 'warehouse.json');
    await copyFile('persisted-queries/shop.json', manifests.shop);
    const warehouse = operationsOf('query WarehouseOrders { orders(first: 5) { edges { node { id status } } } }');
    await writeFile(manifests.warehouse, stringifyManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: warehouse }));
    g = await startTestGraph(backend, {
      GATEWAY_PQ_MANIFESTS: `shop=${manifests.shop},warehouse=${manifests.warehouse}`,
      GATEWAY_PQ_POLL_SECONDS: '0.2',
      // Every request asks iam, so a revocation shows at once; the cache has a test of its own.
      GATEWAY_API_KEY_CACHE_SECONDS: '0',
      // On a folder rather than in memory, so the last test can read iam's table after the graph stops.
      ...(backend === 'pglite' ? { DATA_DIR: dataDir } : {}),
    });
    [admin, dispatcher, customer] = await Promise.all([g.login('admin@demo.test'), g.login('dispatcher@demo.test'), g.login('customer@demo.test')]);
  });
  afterAll(async () => {
    if (!closed) await g?.close();
    await rm(manifestDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets only an ADMIN create, list and revoke keys: FORBIDDEN for other roles, UNAUTHENTICATED without a token', async () => {
    for (const token of [dispatcher, customer]) {
      expect(firstError(await g.gql(CREATE_KEY, { input: { clientName: 'shop', roles: ['PARTNER'] } }, token)).code).toBe('FORBIDDEN');
      expect(firstError(await g.gql(LIST_KEYS, {}, token)).code).toBe('FORBIDDEN');
      expect(firstError(await g.gql(REVOKE_KEY, { id: randomUUID() }, token)).code).toBe('FORBIDDEN');
    }
    expect(firstError(await g.gql(CREATE_KEY, { input: { clientName: 'shop', roles: ['PARTNER'] } })).code).toBe('UNAUTHENTICATED');
    expect(firstError(await g.gql(LIST_KEYS, {})).code).toBe('UNAUTHENTICATED');
  });

  it('given an ADMIN creating a key, then the secret comes back once, with the key record', async () => {
    const created = await createKey();
    shopSecret = created.secret;
    shopKey = created.apiKey;
    expect(shopSecret).toMatch(/^vtk_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({
      clientName: 'shop',
      roles: ['PARTNER'],
      prefix: shopSecret.slice(0, 10),
      active: true,
      lastUsedAt: null,
      revokedAt: null,
      createdBy: { email: 'admin@demo.test' },
    });
    // A second key of the same client acts as the same principal, so rotating keys keeps the client's orders.
    expect((await createKey()).apiKey.principalId).toBe(shopKey.principalId);
  });

  it('given bad input, then BAD_USER_INPUT or NOT_FOUND names the field at fault', async () => {
    const create = (input: object) => g.gql(CREATE_KEY, { input }, admin);
    expect(firstError(await create({ clientName: 'shop', roles: ['ADMIN'] }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.roles.0' });
    expect(firstError(await create({ clientName: 'shop', roles: ['PARTNER', 'DRIVER'] }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.roles.1' });
    expect(firstError(await create({ clientName: 'shop', roles: [] }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.roles' });
    expect(firstError(await create({ clientName: 'Shop Front', roles: ['PARTNER'] }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.clientName' });
    expect(firstError(await g.gql(REVOKE_KEY, { id: 'not-a-uuid' }, admin))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(firstError(await g.gql(REVOKE_KEY, { id: randomUUID() }, admin))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(firstError(await g.gql(LIST_KEYS, { first: 101 }, admin))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('lists keys newest first, a page at a time; revoked ones only when asked; the secret is no field of a key', async () => {
    const older = (await createKey('paging')).apiKey.id;
    const newer = (await createKey('paging', ['PARTNER', 'FINANCE'])).apiKey.id;
    const page1 = ok(await g.gql(LIST_KEYS, { first: 1, clientName: 'paging' }, admin)).apiKeys;
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([newer]);
    expect(page1.edges[0].node).toMatchObject({ clientName: 'paging', roles: ['PARTNER', 'FINANCE'], active: true });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = ok(await g.gql(LIST_KEYS, { first: 1, after: page1.pageInfo.endCursor, clientName: 'paging' }, admin)).apiKeys;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([older]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    ok(await g.gql(REVOKE_KEY, { id: older }, admin));
    const active = ok(await g.gql(LIST_KEYS, { clientName: 'paging' }, admin)).apiKeys.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(active).toEqual([newer]);
    const all = ok(await g.gql(LIST_KEYS, { clientName: 'paging', includeRevoked: true }, admin)).apiKeys.edges;
    expect(all.map((e: { node: { id: string; active: boolean } }) => [e.node.id, e.node.active])).toEqual([[newer, true], [older, false]]);

    expect(firstError(await g.gql('query { apiKeys { edges { node { secret } } } }', {}, admin)).code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('given a key, then its partner runs the safelisted operations by id, as the key’s principal, seeing only its own orders', async () => {
    const created = await partner(g.url, shopSecret, SHOP.ShopCreateOrder!, { input: orderInput({ reference: `SHOP-${randomUUID().slice(0, 8)}` }) });
    expect(created.status).toBe(200);
    const orderId = created.body.data.createOrder.id as string;
    expect(created.body.data.createOrder.status).toBe('CREATED');

    // The same key as `Authorization: ApiKey <secret>`.
    const tracked = await partner(g.url, shopSecret, SHOP.ShopTrackOrder!, { id: orderId }, 'authorization');
    expect(tracked.body).toMatchObject({ data: { order: { id: orderId, status: 'CREATED', eta: null, history: [{ from: null, to: 'CREATED' }] } } });

    const dispatchersOrder = ok(await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher)).createOrder.id;
    const listed = (await partner(g.url, shopSecret, SHOP.ShopOrders!, { first: 50 })).body.data.orders.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(listed).toContain(orderId);
    expect(listed).not.toContain(dispatchersOrder);
    expect((await partner(g.url, shopSecret, SHOP.ShopTrackOrder!, { id: dispatchersOrder })).body.data.order).toBeNull();

    // The dispatcher sees the partner's order, placed for the key's principal.
    const seen = ok(await g.gql('query($id: ID!) { order(id: $id) { id status } }', { id: orderId }, dispatcher)).order;
    expect(seen).toEqual({ id: orderId, status: 'CREATED' });

    const [key] = ok(await g.gql(LIST_KEYS, { clientName: 'shop' }, admin)).apiKeys.edges.filter((e: { node: { id: string } }) => e.node.id === shopKey.id);
    expect(Date.parse(key.node.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a partner’s free text, unknown id, or id plus text with Apollo Router’s codes and statuses, before any subgraph', async () => {
    const before = await subgraphFetches(g.url);
    const headers = { 'x-api-key': shopSecret };
    const freeText = await send(g.url, { body: { query: '{ orders { edges { node { id } } } }' }, headers });
    expect([freeText.status, firstError(freeText).code]).toEqual([400, 'PERSISTED_QUERY_ID_REQUIRED']);
    const empty = await send(g.url, { body: {}, headers });
    expect([empty.status, firstError(empty).code]).toEqual([400, 'PERSISTED_QUERY_ID_REQUIRED']);
    const unknown = await send(g.url, { body: { extensions: byId(operationId('query X { me { id } }')) }, headers });
    expect([unknown.status, firstError(unknown).code]).toEqual([404, 'PERSISTED_QUERY_NOT_IN_LIST']);
    const both = await send(g.url, { body: { query: parseManifest(await readFile(manifests.shop!, 'utf8')).operations[0]!.body, extensions: byId(SHOP.ShopOrders!) }, headers });
    expect([both.status, firstError(both).code]).toEqual([400, 'CANNOT_SEND_PQ_ID_AND_BODY']);
    // Another client's safelist is not this client's.
    const warehouseId = parseManifest(await readFile(manifests.warehouse!, 'utf8')).operations[0]!.id;
    const foreign = await partner(g.url, shopSecret, warehouseId);
    expect([foreign.status, firstError(foreign).code]).toEqual([404, 'PERSISTED_QUERY_NOT_IN_LIST']);
    expect(await subgraphFetches(g.url)).toBe(before);

    // By GET too, with an id only.
    const get = await send(g.url, {
      search: { extensions: JSON.stringify(byId(SHOP.ShopOrders!)), variables: JSON.stringify({ first: 1 }) },
      headers: { ...headers, 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    expect(get.body.data.orders.edges).toHaveLength(1);

    const metrics = (await send(new URL('/metrics', g.url).toString())).body as string;
    expect(metrics).toMatch(/^graphql_errors_total\{code="PERSISTED_QUERY_NOT_IN_LIST"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^graphql_errors_total\{code="PERSISTED_QUERY_ID_REQUIRED"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/client_name="shop"/);
  });

  it('keeps automatic persisted queries unchanged for first-party apps, apart from the partners’ safelists', async () => {
    const auth = { authorization: `Bearer ${dispatcher}` };
    const query = 'query FirstPartyMe { me { email } }';
    const hash = createHash('sha256').update(query).digest('hex');
    expect(firstError(await send(g.url, { body: { extensions: byId(hash) }, headers: auth })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send(g.url, { body: { query, extensions: byId(hash) }, headers: auth })).body).toEqual({ data: { me: { email: 'dispatcher@demo.test' } } });
    expect((await send(g.url, { body: { extensions: byId(hash) }, headers: auth })).body).toEqual({ data: { me: { email: 'dispatcher@demo.test' } } });
    // A shop id is not something first-party apps can run by id: it was never registered with APQ.
    expect(firstError(await send(g.url, { body: { extensions: byId(SHOP.ShopOrders!) }, headers: auth })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // And free text still runs for them.
    expect((await send(g.url, { body: { query: '{ me { email } }' }, headers: auth })).status).toBe(200);
  });

  it('answers a malformed, unknown or revoked key with 401 UNAUTHENTICATED, and no subgraph sees the request', async () => {
    const { secret, apiKey } = await createKey();
    expect((await partner(g.url, secret, SHOP.ShopOrders!, { first: 1 })).status).toBe(200);
    const revoked = ok(await g.gql(REVOKE_KEY, { id: apiKey.id }, admin)).revokeApiKey;
    expect(revoked).toMatchObject({ id: apiKey.id, active: false });
    // Revoking again changes nothing (and announces nothing, below).
    expect(ok(await g.gql(REVOKE_KEY, { id: apiKey.id }, admin)).revokeApiKey.revokedAt).toBe(revoked.revokedAt);

    const before = await subgraphFetches(g.url);
    for (const key of ['burst-client', '', newApiKeySecret(), `${secret}x`, secret]) {
      for (const form of ['header', 'authorization'] as const) {
        const res = await partner(g.url, key, SHOP.ShopOrders!, { first: 1 }, form);
        expect([res.status, firstError(res).code], `${form} ${key}`).toEqual([401, 'UNAUTHENTICATED']);
        expect(res.headers.get('www-authenticate')).toBe('ApiKey');
      }
    }
    // A free-text request with a bad key is refused for the key, before its text is looked at.
    const text = await send(g.url, { body: { query: '{ me { id } }' }, headers: { 'x-api-key': secret } });
    expect(text.status).toBe(401);
    expect(await subgraphFetches(g.url)).toBe(before);

    const events = await eventually('both key events', async () => {
      const found = await iamEvents(g, apiKey.id);
      return found.length >= 2 ? found : undefined;
    });
    expect(events.map((e) => e.type)).toEqual([ApiKeyCreated.type, ApiKeyRevoked.type]);
    expect(ApiKeyCreated.parse(events[0]!).data).toMatchObject({ apiKeyId: apiKey.id, clientName: 'shop', roles: ['PARTNER'], principalId: apiKey.principalId });
    expect(ApiKeyRevoked.parse(events[1]!).data).toMatchObject({ apiKeyId: apiKey.id, clientName: 'shop' });
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('given a gateway that caches keys for 4 s, then a revoked key works on only until its cache entry expires', async () => {
    const gw = await startEdgeGateway({ GATEWAY_API_KEY_CACHE_SECONDS: '4', GATEWAY_PQ_MANIFESTS: `shop=${manifests.shop}` }, { graph: g });
    try {
      const { secret, apiKey } = await createKey();
      expect((await partner(gw.graphqlUrl, secret, SHOP.ShopOrders!, { first: 1 })).status).toBe(200);
      ok(await g.gql(REVOKE_KEY, { id: apiKey.id }, admin));
      // iam refuses it already; this gateway has not asked again yet.
      expect((await partner(g.url, secret, SHOP.ShopOrders!, { first: 1 })).status).toBe(401);
      expect((await partner(gw.graphqlUrl, secret, SHOP.ShopOrders!, { first: 1 })).status).toBe(200);
      // Refused without a restart: the cache entry expired and the gateway asked iam again.
      await eventually('the revoked key to be refused', async () => (await partner(gw.graphqlUrl, secret, SHOP.ShopOrders!, { first: 1 })).status === 401, 15_000);
    } finally {
      await gw.close();
    }
  });

  it('reloads a changed manifest without a restart and without dropping requests; an invalid one keeps the last good list', async () => {
    const original = await readFile(manifests.shop!, 'utf8');
    const [added] = operationsOf('query ShopOrderStatus($id: ID!) { order(id: $id) { id status } }');
    const orderId = (await partner(g.url, shopSecret, SHOP.ShopCreateOrder!, { input: orderInput() })).body.data.createOrder.id as string;
    expect((await partner(g.url, shopSecret, added!.id, { id: orderId })).status).toBe(404);

    // Requests keep flowing while the file changes under the gateway.
    let flowing = true;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (flowing) statuses.push((await partner(g.url, shopSecret, SHOP.ShopOrders!, { first: 1 })).status);
    })();
    try {
      const updated = parseManifest(original);
      await writeFile(manifests.shop!, stringifyManifest({ ...updated, operations: [...updated.operations, added!] }));
      await eventually('the new operation to be listed', async () => (await partner(g.url, shopSecret, added!.id, { id: orderId })).status === 200, 10_000);
      flowing = false;
      await traffic;
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set([200]));

      await writeFile(manifests.shop!, '{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": "broken"}]}');
      // Several polls (every 0.2 s) and the file watch have seen the broken version by now.
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await partner(g.url, shopSecret, added!.id, { id: orderId })).body.data.order).toEqual({ id: orderId, status: 'CREATED' });
    } finally {
      flowing = false;
      await traffic;
      await writeFile(manifests.shop!, original);
    }
    await eventually('the original list again', async () => (await partner(g.url, shopSecret, added!.id, { id: orderId })).status === 404, 10_000);
  });

  it('rate-limits each API key by its id: two keys of one client have a bucket each, whichever header carries the key', async () => {
    const gw: RunningGateway = await startEdgeGateway(
      { GATEWAY_RATE_LIMIT_PER_SECOND: '0.01', GATEWAY_RATE_LIMIT_BURST: '3', GATEWAY_PQ_MANIFESTS: `shop=${manifests.shop}` },
      { graph: g },
    );
    try {
      const [a, b] = [await createKey(), await createKey()];
      const call = (secret: string, form: 'header' | 'authorization' = 'header') => partner(gw.graphqlUrl, secret, SHOP.ShopOrders!, { first: 1 }, form).then((r) => r.status);
      expect([await call(a.secret), await call(a.secret, 'authorization'), await call(a.secret)]).toEqual([200, 200, 200]);
      const refused = await partner(gw.graphqlUrl, a.secret, SHOP.ShopOrders!, { first: 1 });
      expect([refused.status, firstError(refused).code]).toEqual([429, 'RATE_LIMITED']);
      expect(await call(b.secret)).toBe(200);
      // The admin who made the keys has a bucket of its own.
      expect((await send(gw.graphqlUrl, { body: { query: '{ me { email } }' }, headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  // Last: on PGlite it stops the graph to read iam's files.
  it('stores only the SHA-256 of a secret, never the secret itself', async () => {
    const location = databaseFor(g.config, 'iam').location;
    if (backend === 'pglite') {
      await g.close();
      closed = true;
    }
    const db = await openDatabase({ kind: backend, location });
    try {
      const [row] = await db.query<Record<string, unknown>>('SELECT * FROM "ApiKey" WHERE "id" = $1', [shopKey.id]);
      expect(row!.secretHash).toBe(createHash('sha256').update(shopSecret).digest('hex'));
      expect(row!.secretPrefix).toBe(shopSecret.slice(0, 10));
      expect(JSON.stringify(row)).not.toContain(shopSecret.slice(10));
    } finally {
      await db.close();
    }
  });
});

describe.each(TRANSPORTS)('a shop integration on the %s transport', (kind) => {
  let g: TestGraph;
  beforeAll(async () => {
    // The default configuration: every persisted-queries/<client>.json is a client's safelist.
    g = await startTestGraphOn(kind);
  });
  afterAll(() => g?.close());

  it('runs the example client’s flow with a real key: price, order, track, quote, invoice, list, cancel, by id only', async () => {
    const admin = await g.login('admin@demo.test');
    const { secret } = ok(await g.gql<{ createApiKey: { secret: string } }>(CREATE_KEY, { input: { clientName: 'shop', roles: ['PARTNER'] } }, admin)).createApiKey;
    const lines: string[] = [];
    const result = await runShopFlow({ url: g.url, apiKey: secret, ids: SHOP, log: (l) => lines.push(l), quoteTimeoutMs: 45_000 });
    expect(result.statusAfterCreate).toBe('CREATED');
    expect(result.tracked.status).toBe('CREATED');
    expect(result.quote.currency).toBe('EUR');
    expect(result.quote.total).toMatch(/^\d+\.\d{2}$/);
    expect(result.quote.breakdown.length).toBeGreaterThan(0);
    expect(result.invoice).toBeNull();
    expect(result.listed[0]).toBe(result.orderId);
    expect(result.statusAfterCancel).toBe('CANCELLED');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['priced', 'ordered', 'tracked', 'quoted', 'invoiced', 'listed', 'cancelled']);
  });
});
