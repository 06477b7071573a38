import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFor } from '../subgraphs/platform/config.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';
import { OrderCreated } from '../subgraphs/orders/events/contracts.ts';
import { availableBackends, availableTransports, orderCreatedEvent, orderInput, startTestGraph, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';

const TRANSPORTS = await availableTransports('audit');
const BACKENDS = await availableBackends();

const ENTRY = 'id sequence eventId eventType entityType entityId relatedIds actorId actorRoles operation outcome requestId data prevHash hash';
const LOG = `query Log($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor } }
}`;
const VERIFY = `query($from: Float, $to: Float, $range: AuditDateRange) {
  verifyAuditChain(fromSequence: $from, toSequence: $to, range: $range) { ok checkedCount fromSequence toSequence headSequence prunedThroughSequence firstBrokenLink { sequence entryId reason } }
}`;
const CREATE_ORDER = 'mutation PlaceOrder($input: CreateOrderInput!) { createOrder(input: $input) { id } }';

type Entry = { id: string; sequence: number; eventId: string; eventType: string; entityType: string | null; entityId: string | null; relatedIds: string[]; actorId: string | null; actorRoles: string[]; operation: string | null; outcome: string | null; requestId: string | null; data: any; prevHash: string; hash: string };

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const error = (res: GqlResponse) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field });
const DISPATCHER_ID = DEMO.users[1].id;

describe.each(TRANSPORTS)('the audit log through the gateway on the %s transport', (kind) => {
  let g: TestGraph;
  let auditor: string;
  let admin: string;
  let dispatcher: string;
  let stranger: string;

  const log = async (filter: Record<string, unknown>, token = auditor, first = 100): Promise<Entry[]> =>
    ok(await g.gql(LOG, { filter, first }, token)).auditLog.edges.map((e: { node: Entry }) => e.node);
  /** Waits until the log holds entries for which `done` holds. */
  const logWhen = (filter: Record<string, unknown>, done: (entries: Entry[]) => boolean) =>
    eventually(`audit entries for ${JSON.stringify(filter)}`, async () => {
      const entries = await log(filter);
      return done(entries) ? entries : undefined;
    });

  beforeAll(async () => {
    g = await startTestGraphOn(kind, { AUDIT_MAX_RANGE_DAYS: '31' });
    [auditor, admin, dispatcher, stranger] = await Promise.all([
      g.login('auditor@demo.test'),
      g.login('admin@demo.test'),
      g.login('dispatcher@demo.test'),
      g.login('dispatcher@globex.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given an order placed and cancelled, then its events and both mutations are in the log: who, which role, which operation, outcome', async () => {
    const id = ok(await g.gql(CREATE_ORDER, { input: orderInput({ reference: 'AUDIT-1' }) }, dispatcher)).createOrder.id as string;
    ok(await g.gql('mutation Cancel($id: ID!) { cancelOrder(id: $id, reason: "changed plans") { status } }', { id }, dispatcher));
    const entries = await logWhen({ entityId: id }, (es) => ['order.created', 'order.cancelled', 'order.status_changed', 'quote.calculated'].every((t) => es.some((e) => e.eventType.includes(t))) && es.filter((e) => e.operation).length === 2);

    const created = entries.find((e) => e.eventType === OrderCreated.type)!;
    // A domain event names the caller whose request caused it.
    expect(created).toMatchObject({ entityType: 'Order', entityId: id, actorId: DISPATCHER_ID, actorRoles: ['DISPATCHER'], operation: null });
    expect(created.data).toMatchObject({ orderId: id, reference: 'AUDIT-1' });

    const place = entries.find((e) => e.operation === 'createOrder')!;
    expect(place).toMatchObject({ eventType: 'voidtracker.orders.mutation.executed.v1', entityType: 'Order', entityId: id, actorId: DISPATCHER_ID, actorRoles: ['DISPATCHER'], outcome: 'OK' });
    expect(place.data).toMatchObject({ operationName: 'PlaceOrder', field: 'createOrder', arguments: { input: { reference: 'AUDIT-1' } } });
    expect(place.requestId).toEqual(expect.any(String));
    const cancel = entries.find((e) => e.operation === 'cancelOrder')!;
    expect(cancel.data).toMatchObject({ operationName: 'Cancel', arguments: { id, reason: 'changed plans' } });

    // Newest first, each entry sealing the one before it.
    const sequences = entries.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    const all = await log({});
    for (let i = 0; i < all.length - 1; i++) if (all[i]!.sequence === all[i + 1]!.sequence + 1) expect(all[i]!.prevHash).toBe(all[i + 1]!.hash);
  });

  it('given a failed mutation, then its error code is the outcome', async () => {
    const missing = '01900000-0000-7000-8000-00000000dead';
    expect(error(await g.gql('mutation { cancelOrder(id: "01900000-0000-7000-8000-00000000dead") { id } }', {}, dispatcher)).code).toBe('NOT_FOUND');
    const [entry] = await logWhen({ entityId: missing }, (es) => es.length > 0);
    expect(entry).toMatchObject({ operation: 'cancelOrder', outcome: 'NOT_FOUND', actorId: DISPATCHER_ID });
  });

  it('given a mutation with a secret argument, then the log never holds the secret', async () => {
    const refresh = ok(await g.gql('mutation { login(email: "finance@demo.test", password: "voidtracker") { accessToken refreshToken } }')).login;
    ok(await g.gql('mutation Out($t: String!) { logout(refreshToken: $t) }', { t: refresh.refreshToken }, refresh.accessToken));
    const [entry] = await logWhen({ actorId: DEMO.users[4].id, eventType: 'voidtracker.iam.mutation.executed.v1' }, (es) => es.some((e) => e.operation === 'logout'));
    expect(entry!.data.arguments).toEqual({ refreshToken: '[REDACTED]' });
    expect(JSON.stringify(await log({}))).not.toContain(refresh.refreshToken);
  });

  it('given the same event delivered twice, a replay, and a type nobody declared, then each is recorded exactly once', async () => {
    const orderId = crypto.randomUUID();
    const event = orderCreatedEvent(orderId, DEMO.organization.id, DEMO.users[2].id);
    const unknown = { ...orderCreatedEvent(orderId, DEMO.organization.id, DEMO.users[2].id), id: crypto.randomUUID(), type: 'voidtracker.orders.parcel.scanned.v9', data: { orderId, scanner: 'gate 3' } };
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: event }, { envelope: event }, { envelope: unknown }]);
    await eventually('the audit consumer to catch up', async () => (await g.graph.transport.lag('audit', [OrderCreated.topic])) === 0);
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: event }]);
    await eventually('the audit consumer to catch up', async () => (await g.graph.transport.lag('audit', [OrderCreated.topic])) === 0);
    const entries = await logWhen({ entityId: orderId }, (es) => es.length >= 2);
    expect(entries.filter((e) => e.eventId === event.id)).toHaveLength(1);
    expect(entries.find((e) => e.eventId === unknown.id)).toMatchObject({ eventType: 'voidtracker.orders.parcel.scanned.v9', entityType: 'Parcel', data: { scanner: 'gate 3' } });
    expect(ok(await g.gql(VERIFY, {}, auditor)).verifyAuditChain).toMatchObject({ ok: true, firstBrokenLink: null });
  });

  it('filters by entity, actor, event type and time range, and pages newest first', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(ok(await g.gql(CREATE_ORDER, { input: orderInput() }, dispatcher)).createOrder.id);
    const range = { from: since, to: new Date(Date.now() + 60_000).toISOString() };
    const mine = await logWhen({ actorId: DISPATCHER_ID, eventType: 'voidtracker.orders.mutation.executed.v1', range }, (es) => es.length >= 3);
    expect(mine.every((e) => e.actorId === DISPATCHER_ID && e.operation === 'createOrder')).toBe(true);
    // Newest first means by sequence, the order entries were recorded. On Kafka the three records
    // travel on different partitions (keyed by request), so that need not be the order they were made.
    expect(mine.map((e) => e.entityId).sort()).toEqual([...ids].sort());
    const sequences = mine.map((e) => Number(e.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    expect(await log({ entityType: 'Order', entityId: ids[0] })).not.toHaveLength(0);
    expect(await log({ range: { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' } })).toEqual([]);

    const first = ok(await g.gql(LOG, { filter: {}, first: 2 }, auditor)).auditLog;
    const next = ok(await g.gql(LOG, { filter: {}, first: 2, after: first.pageInfo.endCursor }, auditor)).auditLog;
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(next.edges[0].node.sequence).toBe(first.edges[1].node.sequence - 1);
  });

  it('refuses a range that ends before it starts, one wider than the maximum, and a page too large, naming the field', async () => {
    const backwards = { range: { from: '2031-01-10T00:00:00Z', to: '2031-01-01T00:00:00Z' } };
    expect(error(await g.gql(LOG, { filter: backwards }, auditor))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.range.to' });
    const wide = { range: { from: '2031-01-01T00:00:00Z', to: '2031-03-01T00:00:00Z' } };
    expect(error(await g.gql(LOG, { filter: wide }, auditor))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.range.to' });
    expect(error(await g.gql(VERIFY, { range: wide.range }, auditor))).toEqual({ code: 'BAD_USER_INPUT', field: 'range.to' });
    expect(error(await g.gql(VERIFY, { from: 5, to: 2 }, auditor))).toEqual({ code: 'BAD_USER_INPUT', field: 'toSequence' });
    expect(error(await g.gql(LOG, { filter: {}, first: 1000 }, auditor))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(error(await g.gql(LOG, { filter: { range: { from: 'yesterday', to: '2031-01-01T00:00:00Z' } } }, auditor)).code).toBe('BAD_USER_INPUT');
  });

  it('lets only auditors and admins read it, and shows each tenant only its own entries', async () => {
    expect(error(await g.gql(LOG, { filter: {} }, dispatcher))).toEqual({ code: 'FORBIDDEN', field: undefined });
    expect(error(await g.gql(VERIFY, {}, dispatcher)).code).toBe('FORBIDDEN');
    expect(error(await g.gql(LOG, { filter: {} })).code).toBe('UNAUTHENTICATED');
    expect(ok(await g.gql(LOG, { filter: {}, first: 1 }, admin)).auditLog.edges).toHaveLength(1);

    const foreign = ok(await g.gql(CREATE_ORDER, { input: orderInput() }, stranger)).createOrder.id;
    await eventually('the foreign order to be audited in its own tenant', async () => (await g.graph.transport.lag('audit', [OrderCreated.topic])) === 0);
    expect(await log({ entityId: foreign })).toEqual([]);
    expect(await log({ actorId: OTHER_TENANT.users[0].id })).toEqual([]);
  });

  it('answers Order.auditTrail and User.auditTrail through federation, for auditors and admins only', async () => {
    const id = ok(await g.gql(CREATE_ORDER, { input: orderInput() }, dispatcher)).createOrder.id;
    const TRAIL = 'query($id: ID!) { order(id: $id) { id status auditTrail(first: 50) { edges { node { eventType operation actor { email } } } } } }';
    const trail = await eventually('the order’s trail', async () => {
      const order = ok(await g.gql(TRAIL, { id }, auditor)).order;
      const nodes = order.auditTrail.edges.map((e: { node: unknown }) => e.node);
      return nodes.length >= 3 ? nodes : undefined;
    });
    expect(trail).toContainEqual({ eventType: 'voidtracker.orders.mutation.executed.v1', operation: 'createOrder', actor: { email: 'dispatcher@demo.test' } });
    expect(trail).toContainEqual({ eventType: OrderCreated.type, operation: null, actor: { email: 'dispatcher@demo.test' } });

    // A dispatcher sees the order but not its trail.
    const denied = await g.gql(TRAIL, { id }, dispatcher);
    expect(denied.data?.order).toMatchObject({ id, status: 'CREATED', auditTrail: null });
    expect(denied.errors?.[0]).toMatchObject({ path: ['order', 'auditTrail'], extensions: { code: 'FORBIDDEN' } });

    expect(error(await g.gql('mutation { pruneAuditLog { pruned } }', {}, auditor)).code).toBe('FORBIDDEN');
    expect(ok(await g.gql('mutation { pruneAuditLog { pruned prunedThroughSequence headSequence } }', {}, admin)).pruneAuditLog).toMatchObject({ pruned: 0, prunedThroughSequence: 0 });
    // The admin's trail also holds the events about the admin (user.registered): wait for the record of the mutation.
    const mine = await eventually('the admin’s own trail', async () => {
      const me = ok(await g.gql('query { me { email auditTrail(first: 10) { edges { node { operation outcome actorRoles } } } } }', {}, admin)).me;
      const nodes: Array<{ operation: string | null }> = me.auditTrail.edges.map((e: { node: { operation: string | null } }) => e.node);
      return nodes.some((n) => n.operation === 'pruneAuditLog') ? nodes : undefined;
    });
    expect(mine).toContainEqual({ operation: 'pruneAuditLog', outcome: 'OK', actorRoles: ['ADMIN'] });
  });
});

describe.each(BACKENDS.filter((b) => b === 'postgres'))('tampering with the audit database on %s', (backend) => {
  let g: TestGraph;
  let auditor: string;
  let sql: pg.Client;

  const verify = async (vars: Record<string, unknown> = {}) => ok(await g.gql(VERIFY, vars, auditor)).verifyAuditChain;

  beforeAll(async () => {
    g = await startTestGraph(backend);
    auditor = await g.login('auditor@demo.test');
    const dispatcher = await g.login('dispatcher@demo.test');
    for (let i = 0; i < 3; i++) await g.gql(CREATE_ORDER, { input: orderInput() }, dispatcher);
    await eventually('the audit consumer to catch up', async () => (await verify()).headSequence >= 15);
    sql = new pg.Client({ connectionString: databaseFor(g.config, 'audit').location });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await g?.close();
  });

  it('given an intact chain, then the whole of it verifies, and so does any part', async () => {
    const whole = await verify();
    expect(whole).toMatchObject({ ok: true, fromSequence: 1, toSequence: whole.headSequence, checkedCount: whole.headSequence, firstBrokenLink: null });
    expect(await verify({ from: 3, to: 5 })).toMatchObject({ ok: true, checkedCount: 3, fromSequence: 3, toSequence: 5 });
  });

  it('given a row edited in the database, then verification names it: HASH_MISMATCH, or PREVIOUS_MISMATCH on the next once the hash is forged too', async () => {
    const [row] = (await sql.query(`SELECT "id", "sequence", "data", "hash" FROM "AuditEntry" WHERE "orgId" = $1 AND "sequence" = 4`, [DEMO.organization.id])).rows;
    await sql.query(`UPDATE "AuditEntry" SET "data" = jsonb_set("data", '{tampered}', 'true') WHERE "id" = $1`, [row.id]);
    expect((await verify()).firstBrokenLink).toEqual({ sequence: 4, entryId: row.id, reason: 'HASH_MISMATCH' });
    expect((await verify({ from: 5 })).ok).toBe(true);

    await sql.query(`UPDATE "AuditEntry" SET "hash" = repeat('a', 64) WHERE "id" = $1`, [row.id]);
    const next = (await sql.query(`SELECT "id" FROM "AuditEntry" WHERE "orgId" = $1 AND "sequence" = 5`, [DEMO.organization.id])).rows[0];
    expect((await verify()).firstBrokenLink).toMatchObject({ sequence: 4, reason: 'HASH_MISMATCH' });
    expect((await verify({ from: 5 })).firstBrokenLink).toEqual({ sequence: 5, entryId: next.id, reason: 'PREVIOUS_MISMATCH' });

    await sql.query(`UPDATE "AuditEntry" SET "data" = $2, "hash" = $3 WHERE "id" = $1`, [row.id, row.data, row.hash]);
    expect((await verify()).ok).toBe(true);
  });

  it('given a row deleted from the database, then its sequence is a MISSING_ENTRY', async () => {
    await sql.query(`DELETE FROM "AuditEntry" WHERE "orgId" = $1 AND "sequence" = 7`, [DEMO.organization.id]);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenLink: { sequence: 7, entryId: null, reason: 'MISSING_ENTRY' } });
    expect((await verify({ from: 1, to: 6 })).ok).toBe(true);
  });
});
