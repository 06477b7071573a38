/**
 * Webhooks through the one graph: endpoints registered by an ADMIN (and a PARTNER key), domain
 * events delivered to real HTTP receivers that verify the Standard Webhooks signature with their
 * own code, retries after 500s and timeouts, tenancy, rotation, redelivery, disabling, and a
 * restart of the sender in the middle of a retry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { startSubgraph } from '../subgraphs/kernel/subgraph.ts';
import { OrderCancelled, OrderCreated, OrderStatusChanged } from '../subgraphs/orders/events/contracts.ts';
import { WEBHOOK_TOPICS } from '../subgraphs/webhooks/domain/event-types.ts';
import { webhooks } from '../subgraphs/webhooks/server.ts';
import { availableBackends, availableTransports, orderInput, startTestGraph, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';
import { startWebhookReceiver, verifyStandardWebhook, type WebhookReceiver } from './testing/webhook-receiver.ts';

const BACKENDS = await availableBackends();
const TRANSPORTS = await availableTransports('webhooks');

/** Milliseconds instead of hours, so a whole schedule runs within a test: 4 attempts in all. */
/** Few slots, so a hung endpoint could starve the others if the per-endpoint cap did not hold. */
const FAST = {
  WEBHOOK_RETRY_SCHEDULE: '150ms,300ms,450ms',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_TIMEOUT_MS: '600',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_CONCURRENCY: '4',
  WEBHOOK_ENDPOINT_CONCURRENCY: '2',
};

const CREATED = OrderCreated.type;
const CANCELLED = OrderCancelled.type;
const STATUS = OrderStatusChanged.type;

const CREATE_ENDPOINT = `mutation($url: String!, $types: [String!]!, $description: String) {
  createWebhookEndpoint(url: $url, eventTypes: $types, description: $description) { secret endpoint { id url eventTypes scope enabled failing description } }
}`;
const ENDPOINT = `query($id: ID!, $status: WebhookDeliveryStatus) { webhookEndpoint(id: $id) { id enabled failing failingSince
  deliveries(first: 50, status: $status) { edges { node { id eventId eventType status attempts responseStatus latencyMs responseExcerpt nextAttemptAt lastAttemptAt deliveredAt } } } } }`;
const ENDPOINTS = 'query { webhookEndpoints(first: 100) { edges { node { id scope ownerId } } pageInfo { hasNextPage } } }';
const DISABLE = 'mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id enabled } }';
const ENABLE = 'mutation($id: ID!) { enableWebhookEndpoint(id: $id) { id enabled failing } }';
const ROTATE = 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }';
const REDELIVER = 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status attempts nextAttemptAt } }';
const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const CANCEL_ORDER = 'mutation($id: ID!) { cancelOrder(id: $id, reason: "changed plans") { id status } }';

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const failure = (res: GqlResponse) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field });

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** A graph with the helpers every webhooks suite uses. */
function webhookGraph(start: () => Promise<TestGraph>) {
  const ctx = {} as { g: TestGraph; admin: string; customer: string; otherCustomer: string; dispatcher: string; receivers: WebhookReceiver[] };
  const receiver = async () => {
    const r = await startWebhookReceiver();
    ctx.receivers.push(r);
    return r;
  };
  const register = async (r: WebhookReceiver, types: string[] = [CREATED, CANCELLED, STATUS], token = ctx.admin, url?: string) => {
    const data = ok(await ctx.g.gql<{ createWebhookEndpoint: { secret: string; endpoint: { id: string; scope: string } } }>(CREATE_ENDPOINT, { url: r.url, types, description: 'test receiver' }, token, url));
    r.secret = data.createWebhookEndpoint.secret;
    return data.createWebhookEndpoint.endpoint;
  };
  const order = async (token = ctx.customer, url?: string) => ok(await ctx.g.gql<{ createOrder: { id: string } }>(CREATE_ORDER, { input: orderInput() }, token, url)).createOrder.id;
  const deliveries = async (endpointId: string, url?: string): Promise<Delivery[]> => {
    const data = ok(await ctx.g.gql<{ webhookEndpoint: { deliveries: { edges: Array<{ node: Delivery }> } } }>(ENDPOINT, { id: endpointId }, ctx.admin, url));
    return data.webhookEndpoint.deliveries.edges.map((e) => e.node);
  };
  /** Until webhooks has queued everything published so far (nothing of another tenant can still be on its way). */
  const drained = () => eventually('webhooks to read every event', async () => (await ctx.g.graph.transport.lag('webhooks', WEBHOOK_TOPICS)) === 0, 60_000);

  beforeAll(async () => {
    ctx.g = await start();
    ctx.receivers = [];
    ctx.admin = await ctx.g.login('admin@demo.test');
    ctx.customer = await ctx.g.login('customer@demo.test');
    ctx.dispatcher = await ctx.g.login('dispatcher@demo.test');
    ctx.otherCustomer = await ctx.g.login(OTHER_TENANT.users.find((u) => u.email.startsWith('customer@'))!.email);
  }, 180_000);
  afterAll(async () => {
    for (const r of ctx.receivers ?? []) await r.close();
    await ctx.g?.close();
  }, 60_000);
  return { ctx, receiver, register, order, deliveries, drained };
}

describe.each(BACKENDS)('webhooks through the gateway on %s', (backend) => {
  const { ctx, receiver, register, order, deliveries, drained } = webhookGraph(() => startTestGraph(backend, FAST));

  it('refuses bad registrations at the edge with the field named, and callers who may not manage webhooks', async () => {
    const { g, admin } = ctx;
    const r = await receiver();
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: 'ftp://example.com/in', types: [CREATED] }, admin))).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: 'not a url', types: [CREATED] }, admin))).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: r.url, types: [CREATED, 'voidtracker.orders.order.teleported.v1'] }, admin))).toEqual({ code: 'BAD_USER_INPUT', field: 'eventTypes.1' });
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: r.url, types: [] }, admin))).toEqual({ code: 'BAD_USER_INPUT', field: 'eventTypes' });
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: r.url, types: [CREATED], description: 'x'.repeat(501) }, admin))).toEqual({ code: 'BAD_USER_INPUT', field: 'description' });
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: r.url, types: [CREATED] }, ctx.dispatcher)).code).toBe('FORBIDDEN');
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: r.url, types: [CREATED] }, ctx.customer)).code).toBe('FORBIDDEN');
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: r.url, types: [CREATED] })).code).toBe('UNAUTHENTICATED');
    expect(failure(await g.gql(DISABLE, { id: crypto.randomUUID() }, admin))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(failure(await g.gql(REDELIVER, { id: 'nope' }, admin))).toEqual({ code: 'NOT_FOUND', field: 'deliveryId' });
    const types = ok(await g.gql<{ webhookEventTypes: string[] }>('{ webhookEventTypes }', {}, admin)).webhookEventTypes;
    expect(types).toContain(CREATED);
    expect(types.some((t) => t.endsWith('.mutation.executed.v1'))).toBe(false);
  });

  it('delivers an order’s events, signed and in CloudEvents form without internal fields, and nothing of another tenant', async () => {
    const { g } = ctx;
    const r = await receiver();
    const endpoint = await register(r);
    expect(endpoint).toMatchObject({ scope: 'ORGANIZATION', enabled: true, failing: false, eventTypes: [CREATED, CANCELLED, STATUS] });
    expect(r.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const foreign = await order(ctx.otherCustomer);
    const id = await order();
    ok(await g.gql(CANCEL_ORDER, { id }, ctx.customer));
    await eventually('the order’s created, status and cancelled events', () => r.about(id, CREATED).length && r.about(id, CANCELLED).length && r.about(id, STATUS).length);
    await drained();

    const mine = r.about(id);
    expect(mine.every((x) => x.verified && x.verifiedByLibrary)).toBe(true);
    const created = mine.find((x) => x.event.type === CREATED)!;
    expect(Object.keys(created.event).sort()).toEqual(['data', 'datacontenttype', 'id', 'source', 'specversion', 'subject', 'time', 'type']);
    expect(created.event).toMatchObject({ specversion: '1.0', source: '/voidtracker/orders', subject: id, datacontenttype: 'application/json' });
    expect(created.event.data).toMatchObject({ orderId: id, customerId: DEMO.users.find((u) => u.email === 'customer@demo.test')!.id });
    expect(created.id).not.toBe(created.event.id);
    expect(r.requests.some((x) => x.event.subject === foreign || JSON.stringify(x.event.data).includes(foreign))).toBe(false);

    const list = await deliveries(endpoint.id);
    const row = list.find((d) => d.eventId === created.event.id)!;
    expect(row).toMatchObject({ id: created.id, eventType: CREATED, status: 'DELIVERED', attempts: 1, responseStatus: 200, responseExcerpt: 'ok', nextAttemptAt: null });
    expect(row.latencyMs).toBeGreaterThanOrEqual(0);
    ok(await g.gql(DISABLE, { id: endpoint.id }, ctx.admin));
  });

  it('retries after 500s with the same webhook-id and a fresh signature each time, until the receiver takes it', async () => {
    const r = await receiver();
    r.reply = (_req, attempt) => (attempt <= 2 ? { status: 500, body: 'x'.repeat(5000) } : { status: 204 });
    const endpoint = await register(r, [CREATED]);
    const id = await order();
    await eventually('three attempts', () => r.about(id, CREATED).length >= 3);
    const attempts = r.about(id, CREATED);
    expect(new Set(attempts.map((a) => a.id)).size).toBe(1);
    expect(attempts.every((a) => a.verified)).toBe(true);
    expect(attempts.map((a) => a.answered)).toEqual([500, 500, 204]);
    // The waits follow the schedule (150 ms, then 300 ms), without jitter here.
    expect(attempts[1]!.arrivedAt - attempts[0]!.arrivedAt).toBeGreaterThanOrEqual(140);
    expect(attempts[2]!.arrivedAt - attempts[1]!.arrivedAt).toBeGreaterThanOrEqual(290);
    const row = await eventually('the delivery recorded as delivered', async () => (await deliveries(endpoint.id)).find((d) => d.id === attempts[0]!.id && d.status === 'DELIVERED'));
    expect(row).toMatchObject({ attempts: 3, responseStatus: 204, nextAttemptAt: null });
    ok(await ctx.g.gql(DISABLE, { id: endpoint.id }, ctx.admin));
  });

  it('gives up on a hung receiver after the timeout and retries, while another endpoint gets the same event at once', async () => {
    const slow = await receiver();
    const fast = await receiver();
    slow.reply = (_req, attempt) => (attempt === 1 ? { status: 200, delayMs: 2_000 } : { status: 200 });
    const slowEndpoint = await register(slow, [CREATED]);
    const fastEndpoint = await register(fast, [CREATED]);
    const id = await order();
    await eventually('the slow receiver’s retry', () => slow.about(id).length >= 2);
    const [first, second] = slow.about(id);
    expect(second!.id).toBe(first!.id);
    expect(first!.answered).toBeNull();
    const quick = fast.about(id)[0]!;
    // The fast endpoint did not wait for the slow one's timeout: it had its event before that attempt ended.
    expect(quick.arrivedSeq).toBeLessThan(first!.endedSeq!);
    const row = await eventually('the slow delivery recorded', async () => (await deliveries(slowEndpoint.id)).find((d) => d.id === first!.id && d.status === 'DELIVERED'));
    expect(row.attempts).toBe(2);
    for (const e of [slowEndpoint, fastEndpoint]) ok(await ctx.g.gql(DISABLE, { id: e.id }, ctx.admin));
  });

  it('fails a delivery after the last retry and marks the endpoint failing; redelivery sends it again with the same id', async () => {
    const r = await receiver();
    r.reply = () => ({ status: 503, body: 'down for maintenance' });
    const endpoint = await register(r, [CREATED]);
    const id = await order();
    const failed = await eventually('the delivery to fail', async () => (await deliveries(endpoint.id)).find((d) => d.status === 'FAILED'), 30_000);
    expect(failed).toMatchObject({ attempts: 4, responseStatus: 503, responseExcerpt: 'down for maintenance', nextAttemptAt: null });
    expect(r.about(id)).toHaveLength(4);
    expect(ok(await ctx.g.gql<{ webhookEndpoint: { failing: boolean } }>(ENDPOINT, { id: endpoint.id }, ctx.admin)).webhookEndpoint.failing).toBe(true);

    r.reply = () => ({ status: 200 });
    const again = ok(await ctx.g.gql<{ redeliverWebhook: Delivery }>(REDELIVER, { id: failed.id }, ctx.admin)).redeliverWebhook;
    expect(again).toMatchObject({ id: failed.id, status: 'PENDING' });
    await eventually('the redelivery', () => r.about(id).some((x) => x.answered === 200));
    expect(new Set(r.about(id).map((x) => x.id))).toEqual(new Set([failed.id]));
    const row = await eventually('delivered', async () => (await deliveries(endpoint.id)).find((d) => d.id === failed.id && d.status === 'DELIVERED'));
    expect(row.attempts).toBe(5);
    expect(ok(await ctx.g.gql<{ webhookEndpoint: { failing: boolean } }>(ENDPOINT, { id: endpoint.id }, ctx.admin)).webhookEndpoint.failing).toBe(false);
    ok(await ctx.g.gql(DISABLE, { id: endpoint.id }, ctx.admin));
  });

  it('signs with the new secret only once it is rotated', async () => {
    const r = await receiver();
    const endpoint = await register(r, [CREATED]);
    const old = r.secret;
    const rotated = ok(await ctx.g.gql<{ rotateWebhookSecret: { secret: string } }>(ROTATE, { id: endpoint.id }, ctx.admin)).rotateWebhookSecret.secret;
    expect(rotated).not.toBe(old);
    r.secret = rotated;
    const id = await order();
    const [got] = await eventually('a delivery after rotation', () => (r.about(id).length ? r.about(id) : undefined));
    expect(got!.verified && got!.verifiedByLibrary).toBe(true);
    expect(verifyStandardWebhook(old, got!.id, String(got!.timestamp), got!.body, got!.signature)).toBe(false);
    ok(await ctx.g.gql(DISABLE, { id: endpoint.id }, ctx.admin));
  });

  it('sends nothing to a disabled endpoint, and resumes once it is enabled', async () => {
    const r = await receiver();
    const endpoint = await register(r, [CREATED]);
    expect(ok(await ctx.g.gql<{ disableWebhookEndpoint: { enabled: boolean } }>(DISABLE, { id: endpoint.id }, ctx.admin)).disableWebhookEndpoint.enabled).toBe(false);
    const quiet = await order();
    await drained();
    await new Promise((res) => setTimeout(res, 300));
    expect(r.about(quiet)).toHaveLength(0);
    expect(await deliveries(endpoint.id)).toHaveLength(0);
    ok(await ctx.g.gql(ENABLE, { id: endpoint.id }, ctx.admin));
    const heard = await order();
    await eventually('a delivery after enabling', () => r.about(heard).length);
    expect(r.about(quiet)).toHaveLength(0);
    ok(await ctx.g.gql(DISABLE, { id: endpoint.id }, ctx.admin));
  });

  it('lets a PARTNER key manage only its own endpoints, which hear only the orders it placed', async () => {
    const { g, admin } = ctx;
    const iamUrl = g.graph.subgraphs.find((s) => s.name === 'iam')!.url;
    const hooksUrl = g.graph.subgraphs.find((s) => s.name === 'webhooks')!.url;
    const ordersUrl = g.graph.subgraphs.find((s) => s.name === 'orders')!.url;
    const key = ok(await g.gql<{ createApiKey: { secret: string } }>('mutation { createApiKey(input: { clientName: "hooks", roles: [PARTNER] }) { secret } }', {}, admin)).createApiKey.secret;
    const exchanged = await fetch(new URL('/api-keys/exchange', iamUrl), { method: 'POST', headers: { 'x-api-key': key } });
    const { accessToken: partner, principalId } = (await exchanged.json()) as { accessToken: string; principalId: string };

    // Partners run only safelisted operations at the gateway, so this talks to the subgraphs directly, as the gateway would.
    const adminEndpoint = await register(await receiver(), [CREATED], admin);
    const r = await receiver();
    expect(failure(await g.gql(CREATE_ENDPOINT, { url: r.url, types: ['voidtracker.planning.route.planned.v1'] }, partner, hooksUrl))).toEqual({ code: 'BAD_USER_INPUT', field: 'eventTypes.0' });
    const own = await register(r, [CREATED], partner, hooksUrl);
    expect(own.scope).toBe('OWN_ORDERS');

    const seen = ok(await g.gql<{ webhookEndpoints: { edges: Array<{ node: { id: string; ownerId: string } }> } }>(ENDPOINTS, {}, partner, hooksUrl)).webhookEndpoints.edges.map((e) => e.node);
    expect(seen).toEqual([{ id: own.id, scope: 'OWN_ORDERS', ownerId: principalId }]);
    expect(failure(await g.gql(DISABLE, { id: adminEndpoint.id }, partner, hooksUrl))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(failure(await g.gql(ROTATE, { id: adminEndpoint.id }, partner, hooksUrl))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    const adminSees = ok(await g.gql<{ webhookEndpoints: { edges: Array<{ node: { id: string } }> } }>(ENDPOINTS, {}, admin)).webhookEndpoints.edges.map((e) => e.node.id);
    expect(adminSees).toContain(own.id);

    const someoneElses = await order();
    const partners = await order(partner, ordersUrl);
    await eventually('the partner’s own order', () => r.about(partners).length);
    await drained();
    await new Promise((res) => setTimeout(res, 300));
    expect(r.about(partners).every((x) => x.verified)).toBe(true);
    expect(r.about(someoneElses)).toHaveLength(0);
    for (const e of [own]) ok(await g.gql(DISABLE, { id: e.id }, partner, hooksUrl));
    ok(await g.gql(DISABLE, { id: adminEndpoint.id }, admin));
  });
});

describe.each(BACKENDS)('webhooks with a receiver that hangs for longer than the test, on %s', (backend) => {
  // A timeout longer than the test: no hung attempt ends while it runs, so "the others never waited
  // for the hung endpoint's slots" is read off the order of what happened, whatever the host's load.
  const { ctx, receiver, register, order } = webhookGraph(() => startTestGraph(backend, { ...FAST, WEBHOOK_TIMEOUT_MS: '60000' }));

  it('keeps delivering to other endpoints while a hung one has a backlog larger than every slot', async () => {
    const hung = await receiver();
    const fast = await receiver();
    hung.reply = () => ({ status: 200, delayMs: 120_000 });
    const hungEndpoint = await register(hung, [CREATED]);
    const fastEndpoint = await register(fast, [CREATED]);
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) placed.push(await order());
    await eventually('every order at the fast endpoint', () => placed.every((id) => fast.about(id).length));
    const lastFast = Math.max(...placed.map((id) => fast.about(id)[0]!.arrivedSeq));
    // Six deliveries queue behind the hung endpoint, more than all four slots, yet every one of the
    // fast endpoint's arrived while none of the hung attempts had ended: they never waited for its slots.
    expect(hung.requests.filter((r) => r.endedSeq !== undefined && r.endedSeq < lastFast)).toEqual([]);
    // And the hung endpoint held no more than its two slots.
    expect(hung.requests.length).toBeGreaterThanOrEqual(1);
    expect(hung.requests.length).toBeLessThanOrEqual(2);
    for (const e of [hungEndpoint, fastEndpoint]) ok(await ctx.g.gql(DISABLE, { id: e.id }, ctx.admin));
  });
});

describe.each(BACKENDS)('webhooks when the sender restarts in the middle of a retry, on %s', (backend) => {
  let dataDir: string;
  const { ctx, receiver, register, order, deliveries } = webhookGraph(async () => {
    // File-backed on PGlite (memory would not survive the restart); PostgreSQL keeps its databases anyway.
    dataDir = await mkdtemp(join(tmpdir(), 'vt-webhooks-'));
    return startTestGraph(backend, { ...FAST, WEBHOOK_RETRY_SCHEDULE: '400ms,400ms,400ms', ...(backend === 'pglite' ? { DATA_DIR: dataDir } : {}) });
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('delivers the queued delivery afterwards, with the same webhook-id, delivered exactly once and nothing lost', async () => {
    const { g } = ctx;
    const r = await receiver();
    let up = false;
    r.reply = () => ({ status: up ? 200 : 500 });
    const endpoint = await register(r, [CREATED]);
    const ids = [await order(), await order()];
    await eventually('a failed first attempt of each', () => ids.every((id) => r.about(id).length >= 1));

    const index = g.graph.subgraphs.findIndex((s) => s.name === 'webhooks');
    await g.graph.subgraphs[index]!.close();
    const whileDown = r.requests.length;
    // Queued while the sender is down: an event only the restarted process can deliver.
    const late = await order();
    await new Promise((res) => setTimeout(res, 600));
    expect(r.requests.length).toBe(whileDown);
    up = true;

    const iam = g.graph.subgraphs.find((s) => s.name === 'iam')!;
    const config = { ...g.config, jwt: { ...g.config.jwt, jwksUrl: new URL('/.well-known/jwks.json', iam.url).toString() } };
    const restarted = await startSubgraph(webhooks as never, config, createLogger(config.logLevel), { transport: g.graph.transport, port: 0 });
    g.graph.subgraphs[index] = restarted;

    const all = [...ids, late];
    await eventually('every order’s delivery taken', () => all.every((id) => r.about(id).some((x) => x.answered === 200)), 30_000);
    await new Promise((res) => setTimeout(res, 500));
    for (const id of all) {
      const got = r.about(id, CREATED);
      expect(new Set(got.map((x) => x.id)).size, id).toBe(1);
      expect(got.filter((x) => x.answered === 200), id).toHaveLength(1);
      expect(got.every((x) => x.verified)).toBe(true);
    }
    const rows = await deliveries(endpoint.id, restarted.url);
    for (const id of all) {
      const got = r.about(id, CREATED)[0]!;
      expect(rows.filter((d) => d.eventId === got.event.id)).toEqual([expect.objectContaining({ id: got.id, status: 'DELIVERED' })]);
    }
  });
});

describe('webhooks with private networks blocked (the production default)', () => {
  const { ctx, receiver } = webhookGraph(() => startTestGraph('pglite', { ...FAST, WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'true' }));

  it('refuses loopback, private, link-local and localhost targets at registration, and accepts a public address', async () => {
    for (const url of ['http://127.0.0.1:8080/hooks', 'http://localhost/hooks', 'http://[::ffff:127.0.0.1]/hooks', 'http://169.254.169.254/latest', 'https://10.0.0.8/hooks', 'http://2130706433/']) {
      const res = await ctx.g.gql(CREATE_ENDPOINT, { url, types: [CREATED] }, ctx.admin);
      expect(failure(res), url).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
      expect(res.errors?.[0]?.message, url).toMatch(/loopback, private or link-local/);
    }
    // A local receiver is out of reach here, exactly as production wants.
    const local = await receiver();
    expect(failure(await ctx.g.gql(CREATE_ENDPOINT, { url: local.url, types: [CREATED] }, ctx.admin))).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
    const endpoint = ok(await ctx.g.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(CREATE_ENDPOINT, { url: 'https://203.0.113.7/hooks', types: [CREATED] }, ctx.admin)).createWebhookEndpoint.endpoint;
    ok(await ctx.g.gql(DISABLE, { id: endpoint.id }, ctx.admin));
  });
});

describe.each(TRANSPORTS.filter((t) => t === 'kafka'))('webhooks on the %s transport', (kind) => {
  const { ctx, receiver, register, order, drained } = webhookGraph(() => startTestGraphOn(kind, FAST));

  it('delivers an order’s events to its organization’s endpoint and nothing of another tenant', async () => {
    const r = await receiver();
    const endpoint = await register(r, [CREATED, CANCELLED]);
    const foreign = await order(ctx.otherCustomer);
    const id = await order();
    ok(await ctx.g.gql(CANCEL_ORDER, { id }, ctx.customer));
    await eventually('created and cancelled', () => r.about(id, CREATED).length && r.about(id, CANCELLED).length, 60_000);
    await drained();
    expect(r.about(id).every((x) => x.verified)).toBe(true);
    expect(r.about(foreign)).toHaveLength(0);
    ok(await ctx.g.gql(DISABLE, { id: endpoint.id }, ctx.admin));
  });
});
