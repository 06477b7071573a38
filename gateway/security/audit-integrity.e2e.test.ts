import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../subgraphs/iam/seed.ts';
import { eventually } from '../../subgraphs/platform/events/testing/test-support.ts';
import { availableBackends, availableTransports, orderInput, startTestGraphOn, type Backend, type GqlResponse, type TestGraph, type TransportKind } from '../testing/harness.ts';

/** The embedded pair and the server pair: PGlite with the in-process bus, PostgreSQL with Kafka. */
const BACKENDS = await availableBackends();
const TRANSPORTS = await availableTransports('audit integrity');
const SETUPS: Array<[TransportKind, Backend]> = [['bus', 'pglite'], ...(TRANSPORTS.includes('kafka') && BACKENDS.includes('postgres') ? [['kafka', 'postgres'] as [TransportKind, Backend]] : [])];

const RECORDS = 'voidtracker.orders.mutation.executed.v1';
const LOG = `query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 100) { edges { node { eventType operation outcome entityId requestId actorId data } } } }`;
const TRAIL = `query($id: ID!) { order(id: $id) { auditTrail(first: 100) { edges { node { eventType operation actorId actorRoles actor { email } } } } } }`;
const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const TWO_ORDERS = 'mutation Two($a: CreateOrderInput!, $b: CreateOrderInput!) { a: createOrder(input: $a) { id } b: createOrder(input: $b) { id } }';

type Entry = { eventType: string; operation: string | null; outcome: string | null; entityId: string | null; requestId: string | null; actorId: string | null; data: any };
type TrailEntry = { eventType: string; operation: string | null; actorId: string | null; actorRoles: string[]; actor: { email: string } | null };

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const user = (email: string) => DEMO.users.find((u) => u.email === email)!;

describe.each(SETUPS)('audit records that cannot be dodged, on the %s transport with %s', (kind, backend) => {
  let g: TestGraph;
  let auditor: string;
  let dispatcher: string;
  let customer: string;
  let driver: string;

  /** The mutation records about an order, once the audit log has them. */
  const recordsOf = (orderId: string) =>
    eventually(`the mutation record of ${orderId}`, async () => {
      const edges = ok(await g.gql(LOG, { filter: { entityId: orderId, eventType: RECORDS } }, auditor)).auditLog.edges as Array<{ node: Entry }>;
      return edges.length ? edges.map((e) => e.node) : undefined;
    });
  /** Straight at the orders subgraph, as an attacker inside the network would. */
  const atOrders = async (headers: Record<string, string>, token: string) => {
    const url = g.graph.subgraphs.find((s) => s.name === 'orders')!.url;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query: CREATE_ORDER, variables: { input: orderInput() } }),
    });
    return (await res.json()) as { data?: { createOrder: { id: string } }; errors?: unknown };
  };

  beforeAll(async () => {
    g = await startTestGraphOn(kind, {}, backend);
    [auditor, dispatcher, customer, driver] = await Promise.all([
      g.login('auditor@demo.test'),
      g.login('dispatcher@demo.test'),
      g.login('customer@demo.test'),
      g.login('driver@demo.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given a lone surrogate in one of two mutations of one request, then both are recorded (the bad text as U+FFFD)', async () => {
    const res = ok(await g.gql(TWO_ORDERS, { a: orderInput({ reference: 'LONE-\ud800' }), b: orderInput() }, dispatcher));
    const [a] = await recordsOf(res.a.id);
    const [b] = await recordsOf(res.b.id);
    expect(a).toMatchObject({ operation: 'createOrder', outcome: 'OK', actorId: user('dispatcher@demo.test').id });
    expect(a!.data.arguments.input.reference).toBe('LONE-\uFFFD');
    expect(b).toMatchObject({ operation: 'createOrder', outcome: 'OK', requestId: a!.requestId });
  });

  it('given a NUL in a mutation\'s text, then it is refused as BAD_USER_INPUT and the attempt is recorded', async () => {
    const res = await g.gql(CREATE_ORDER, { input: orderInput({ reference: 'NUL-\u0000' }) }, dispatcher);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reference' });
    const attempt = await eventually('the refused attempt in the log', async () => {
      const edges = ok(await g.gql(LOG, { filter: { actorId: user('dispatcher@demo.test').id, eventType: RECORDS } }, auditor)).auditLog.edges as Array<{ node: Entry }>;
      return edges.map((e) => e.node).find((e) => e.data.arguments?.input?.reference === 'NUL-\uFFFD');
    });
    expect(attempt).toMatchObject({ operation: 'createOrder', outcome: 'BAD_USER_INPUT' });
  });

  it.each([
    ['empty', ''],
    ['12 KB long', 'r'.repeat(12_000)],
    ['full of spaces and markup', 'id <script> 1'],
  ])('given an X-Request-Id that is %s, sent straight to a subgraph, then the mutation is recorded under a generated id', async (_what, requestId) => {
    const res = await atOrders({ 'x-request-id': requestId }, dispatcher);
    const id = res.data!.createOrder.id;
    const [record] = await recordsOf(id);
    expect(record).toMatchObject({ operation: 'createOrder', outcome: 'OK' });
    expect(record!.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('given an order created by a customer, planned by the dispatcher, started and delivered by the driver, then its trail names each of them', async () => {
    const depot = ok(await g.gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }', { input: { name: 'Trail hub', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } }, dispatcher)).createDepot;
    ok(await g.gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }', { input: { name: 'Trail van', plate: 'B-TR-1', capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depot.id } }, dispatcher));
    const orderId = ok(await g.gql(CREATE_ORDER, { input: orderInput() }, customer)).createOrder.id as string;
    await eventually('the order in the planning pool', async () => {
      const edges = ok(await g.gql('query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, dispatcher)).planningPool.edges as Array<{ node: { order: { id: string } } }>;
      return edges.some((e) => e.node.order.id === orderId);
    });
    const routes = ok(await g.gql('mutation($d: ID!) { planDay(depotId: $d, date: "2031-02-03", timeLimitSeconds: 0.2) { routes { id stops { id order { id } } } } }', { d: depot.id }, dispatcher)).planDay.routes as Array<{ id: string; stops: Array<{ id: string; order: { id: string } }> }>;
    const route = routes.find((r) => r.stops.some((s) => s.order.id === orderId))!;
    await eventually('planning to know the demo driver', async () => !(await g.gql('mutation($r: ID!, $d: ID!) { assignDriver(routeId: $r, driverId: $d) { id } }', { r: route.id, d: user('driver@demo.test').id }, dispatcher)).errors);
    ok(await g.gql('mutation($id: ID!) { startRoute(routeId: $id) { id } }', { id: route.id }, driver));
    const stopId = route.stops.find((s) => s.order.id === orderId)!.id;
    ok(await g.gql('mutation($id: ID!) { completeStop(stopId: $id, proof: { recipientName: "R. Ecipient" }) { id } }', { id: stopId }, driver));

    const trail = await eventually('the trail to show the whole journey', async () => {
      const edges = ok(await g.gql(TRAIL, { id: orderId }, auditor)).order.auditTrail.edges as Array<{ node: TrailEntry }>;
      const nodes = edges.map((e) => e.node);
      const has = (type: string) => nodes.some((n) => n.eventType === type && n.actor);
      return ['orders.order.created', 'planning.route.planned', 'planning.route.started', 'planning.stop.completed'].every((t) => has(`voidtracker.${t}.v1`)) ? nodes : undefined;
    });
    const by = (type: string) => trail.find((n) => n.eventType === `voidtracker.${type}.v1`)!;
    expect(by('orders.order.created')).toMatchObject({ actor: { email: 'customer@demo.test' }, actorRoles: ['CUSTOMER'] });
    expect(by('planning.route.planned')).toMatchObject({ actor: { email: 'dispatcher@demo.test' }, actorRoles: ['DISPATCHER'] });
    expect(by('planning.route.started')).toMatchObject({ actor: { email: 'driver@demo.test' }, actorRoles: ['DRIVER'] });
    expect(by('planning.stop.completed')).toMatchObject({ actor: { email: 'driver@demo.test' }, actorRoles: ['DRIVER'] });
  });
});
