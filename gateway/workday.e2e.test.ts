import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { orderInput, type GqlResponse, type TestGraph } from './testing/harness.ts';
import { liveSetups, startLiveGraph } from './testing/live-graphs.ts';
import { sseSubscribe, type SseSubscription } from './testing/live-sse.ts';
import { wsSubscribe, type WsSubscription } from './testing/live-ws.ts';

/**
 * One working day through the gateway, role by role, as each role's app would call it. Every
 * answer is checked against the GraphQL promise: `data: null` (or no data) always comes with
 * `errors`, so a client library never sees a silent empty answer.
 */
const SETUPS = await liveSetups();

const SHOP = Object.fromEntries(
  (JSON.parse(readFileSync('persisted-queries/shop.json', 'utf8')) as { operations: Array<{ id: string; name: string }> }).operations.map((o) => [o.name, o.id]),
);

const ORDER_UPDATED = 'subscription($id: ID!) { orderUpdated(id: $id) { id status eta } }';
const BOARD = 'subscription($d: ID!, $day: String!) { dispatchBoard(depotId: $d, date: $day) { id status driver { id } stops { status order { id } } } }';
const DRIVER_DAY = `query($day: String!) {
  routes(date: $day, first: 5) { edges { node { id status stops { id sequence status order { id status dropoff { line1 city } } } } } }
}`;

/** The GraphQL promise, checked on every answer of this suite. */
function keepsPromise(res: { data?: unknown; errors?: readonly unknown[] }): void {
  if (res.data === null || res.data === undefined) expect(res.errors?.length ?? 0, `data ${String(res.data)} without errors`).toBeGreaterThan(0);
}

describe.each(SETUPS)('a working day by every role through the gateway, $name', (setup) => {
  let g: TestGraph;
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const tokens: Record<string, string> = {};
  const streams: Array<SseSubscription | WsSubscription> = [];
  /** What the day has made so far, for the roles that come after. */
  const made: { depotId?: string; customerOrder?: string; dispatcherOrders?: string[]; routeId?: string; driverId?: string; invoiceId?: string } = {};

  const gql = async <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, as?: string): Promise<GqlResponse<T>> => {
    const res = await g.gql<T>(query, variables, as ? tokens[as] : undefined);
    keepsPromise(res);
    return res;
  };
  const ok = async <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, as?: string): Promise<T> => {
    const res = await gql<T>(query, variables, as);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  };
  const codeOf = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
  const pushed = (sub: SseSubscription) => sub.pushes.map((p) => p.result);

  beforeAll(async () => {
    g = await startLiveGraph(setup);
    for (const who of ['admin', 'dispatcher', 'customer', 'driver', 'finance', 'auditor']) tokens[who] = await g.login(`${who}@demo.test`);
    tokens.stranger = await g.login('customer@globex.test');
  });
  afterAll(async () => {
    for (const s of streams) await s.close();
    await g?.close();
  }, 180_000);

  it('admin: invites a dispatcher who joins, changes roles back and forth, and sets the organization’s locale', async () => {
    const email = `night-shift-${Date.now()}@demo.test`;
    const invited = (await ok('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token invitation { email roles } } }', { i: { email, name: 'Nia Night', roles: ['DISPATCHER'] } }, 'admin')).inviteUser;
    expect(invited.invitation).toEqual({ email, roles: ['DISPATCHER'] });
    const joined = (await ok('mutation($t: String!) { acceptInvitation(token: $t, password: "night-shift-password") { accessToken user { id email roles } } }', { t: invited.token })).acceptInvitation;
    expect(joined.user).toMatchObject({ email, roles: ['DISPATCHER'] });

    const changed = (await ok('mutation($u: ID!) { changeUserRoles(userId: $u, roles: [DISPATCHER, FINANCE]) { roles } }', { u: joined.user.id }, 'admin')).changeUserRoles;
    expect([...changed.roles].sort()).toEqual(['DISPATCHER', 'FINANCE']);
    // Nobody but an admin changes roles.
    expect(codeOf(await gql('mutation($u: ID!) { changeUserRoles(userId: $u, roles: [ADMIN]) { roles } }', { u: joined.user.id }, 'dispatcher'))).toBe('FORBIDDEN');

    const settings = (await ok('mutation { updateOrganizationSettings(input: { locale: "de-DE" }) { locale currency } }', {}, 'admin')).updateOrganizationSettings;
    expect(settings).toEqual({ locale: 'de-DE', currency: 'EUR' });
    const staff = (await ok('query { users(first: 50) { edges { node { email active } } } }', {}, 'admin')).users.edges.map((e: { node: { email: string } }) => e.node.email);
    expect(staff).toEqual(expect.arrayContaining([email, 'driver@demo.test']));
  }, 180_000);

  it('dispatcher and customer: orders are placed, a driver is found, the day planned and assigned, the board and the tracking page live', async () => {
    const depot = (await ok(
      'mutation($i: CreateDepotInput!) { createDepot(input: $i) { id } }',
      { i: { name: `Workday hub ${setup.name}`, line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } },
      'dispatcher',
    )).createDepot;
    made.depotId = depot.id;
    await ok(
      'mutation($i: CreateVehicleInput!) { createVehicle(input: $i) { id } }',
      { i: { name: 'Workday van', plate: `B-WD-${Date.now() % 10_000}`, capacityKg: 500, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depot.id } },
      'dispatcher',
    );

    // The customer orders and opens the tracking page; the dispatcher watches the board over graphql-ws.
    made.customerOrder = (await ok('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id status } }', { i: orderInput() }, 'customer')).createOrder.id;
    const tracking = await sseSubscribe(new URL('/graphql/stream', g.url).toString(), ORDER_UPDATED, { id: made.customerOrder }, { authorization: `Bearer ${tokens.customer}` });
    expect(tracking.status).toBe(200);
    streams.push(tracking);
    const board = wsSubscribe(g.url, BOARD, { d: depot.id, day }, { authorization: `Bearer ${tokens.dispatcher}` });
    streams.push(board);

    made.dispatcherOrders = [];
    for (const line1 of ['Am Kanal 3', 'Am Kanal 4']) {
      const input = orderInput({ dropoff: { line1, city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 } });
      made.dispatcherOrders.push((await ok('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: input }, 'dispatcher')).createOrder.id);
    }
    const all = [made.customerOrder, ...made.dispatcherOrders];
    await eventually('the orders in the planning pool', async () => {
      const pool = (await ok('query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, 'dispatcher')).planningPool.edges.map((e: { node: { order: { id: string } } }) => e.node.order.id);
      return all.every((id) => pool.includes(id));
    });

    // Finding a driver to assign is the dispatcher's own query.
    const drivers = (await ok('query { drivers(first: 20) { edges { node { id name active } } } }', {}, 'dispatcher')).drivers.edges.map((e: { node: { id: string; name: string } }) => e.node);
    const dee = drivers.find((d: { name: string }) => d.name === 'Dee Driver');
    expect(dee).toBeTruthy();
    made.driverId = dee.id;

    const plan = (await ok(
      'mutation($d: ID!, $day: String!) { planDay(depotId: $d, date: $day, timeLimitSeconds: 0.3) { routes { id stops { order { id } } } unserved { order { id } reason } } }',
      { d: depot.id, day },
      'dispatcher',
    )).planDay;
    expect(plan.unserved).toEqual([]);
    const route = plan.routes.find((r: { stops: Array<{ order: { id: string } }> }) => r.stops.some((s) => s.order.id === made.customerOrder));
    expect(route.stops.map((s: { order: { id: string } }) => s.order.id)).toEqual(expect.arrayContaining(all));
    made.routeId = route.id;
    const assigned = await eventually('planning to know the driver', async () => {
      const res = await gql('mutation($r: ID!, $u: ID!) { assignDriver(routeId: $r, driverId: $u) { id driver { id } } }', { r: route.id, u: dee.id }, 'dispatcher');
      return res.errors ? undefined : res.data!.assignDriver;
    });
    expect(assigned.driver).toEqual({ id: dee.id });

    type Board = { dispatchBoard: Array<{ id: string; driver: { id: string } | null }> };
    await eventually('the assigned route on the live board', () => board.pushes.some((p) => (p.data as Board).dispatchBoard.some((r) => r.id === route.id && r.driver?.id === dee.id)));
    await eventually('the customer’s page showing PLANNED', () => pushed(tracking).some((r) => (r.data as { orderUpdated: { status: string } }).orderUpdated.status === 'PLANNED'));
    for (const p of [...board.pushes, ...pushed(tracking)]) keepsPromise(p);
  }, 180_000);

  it('driver: sees today’s route with addresses, starts it, delivers with proof and fails one stop', async () => {
    const routes = (await ok(DRIVER_DAY, { day }, 'driver')).routes.edges.map((e: { node: unknown }) => e.node);
    const route = routes.find((r: { id: string }) => r.id === made.routeId);
    expect(route.stops.length).toBe(3);
    for (const stop of route.stops) expect(stop.order).toMatchObject({ status: 'PLANNED', dropoff: { line1: expect.any(String), city: expect.any(String) } });
    // The driver reads an order on their route by id too; another tenant's customer does not.
    expect((await ok('query($id: ID!) { order(id: $id) { id dropoff { line1 } } }', { id: made.customerOrder }, 'driver')).order).toMatchObject({ id: made.customerOrder });
    expect((await gql('query($id: ID!) { order(id: $id) { id } }', { id: made.customerOrder }, 'stranger')).data?.order).toBeNull();

    expect((await ok('mutation($r: ID!) { startRoute(routeId: $r) { status } }', { r: route.id }, 'driver')).startRoute.status).toBe('IN_PROGRESS');
    const stopOf = (orderId: string) => route.stops.find((s: { order: { id: string } }) => s.order.id === orderId).id;
    const proof = { recipientName: 'Cora Customer', signatureRef: 'sig/workday' };
    expect((await ok('mutation($s: ID!, $p: ProofOfDeliveryInput!) { completeStop(stopId: $s, proof: $p) { status } }', { s: stopOf(made.customerOrder!), p: proof }, 'driver')).completeStop.status).toBe('COMPLETED');
    await ok('mutation($s: ID!, $p: ProofOfDeliveryInput!) { completeStop(stopId: $s, proof: $p) { status } }', { s: stopOf(made.dispatcherOrders![0]!), p: { recipientName: 'Reception' } }, 'driver');
    expect((await ok('mutation($s: ID!) { failStop(stopId: $s, reason: "nobody home") { status failureReason } }', { s: stopOf(made.dispatcherOrders![1]!) }, 'driver')).failStop).toEqual({ status: 'FAILED', failureReason: 'nobody home' });

    const tracking = streams[0] as SseSubscription;
    await eventually('the customer’s page showing the delivery', () =>
      pushed(tracking).some((r) => (r.data as { orderUpdated: { status: string } }).orderUpdated.status === 'DELIVERED'),
    60_000);
    expect((pushed(tracking).at(-1)!.data as { orderUpdated: unknown }).orderUpdated).toEqual({ id: made.customerOrder, status: 'DELIVERED', eta: null });
    for (const p of pushed(tracking)) keepsPromise(p);
    // The proof is on the stop, which the dispatcher reads.
    const delivered = (await ok('query($id: ID!) { order(id: $id) { stop { status recipientName signatureRef } } }', { id: made.customerOrder }, 'dispatcher')).order;
    expect(delivered.stop).toEqual({ status: 'COMPLETED', recipientName: 'Cora Customer', signatureRef: 'sig/workday' });
  }, 180_000);

  it('finance: the delivered order’s draft is issued, money is shown in the organization’s locale, and a credit note corrects it', async () => {
    const invoiceOf = async () => (await ok('query($id: ID!) { order(id: $id) { invoice { id status } } }', { id: made.customerOrder }, 'finance')).order.invoice;
    const draft = await eventually('the delivered order on a draft', async () => (await invoiceOf())?.status === 'DRAFT' ? invoiceOf() : undefined);
    const issued = (await ok('mutation($id: ID!) { issueInvoice(invoiceId: $id) { id status number totalMoney { amount currency formatted } } }', { id: draft.id }, 'finance')).issueInvoice;
    expect(issued.status).toBe('ISSUED');
    expect(issued.number).toMatch(/\d/);
    expect(issued.totalMoney.formatted).toContain('€');
    expect(issued.totalMoney.formatted).toContain(issued.totalMoney.amount.replace('.', ','));
    made.invoiceId = issued.id;
    const note = (await ok('mutation($id: ID!) { issueCreditNote(invoiceId: $id, reason: "damaged parcel") { kind status creditsInvoice { id } total } }', { id: issued.id }, 'finance')).issueCreditNote;
    expect(note).toMatchObject({ kind: 'CREDIT_NOTE', status: 'ISSUED', creditsInvoice: { id: issued.id } });
    // The customer sees its own issued invoice; a dispatcher is not finance.
    expect((await ok('query($id: ID!) { invoice(id: $id) { id status } }', { id: issued.id }, 'customer')).invoice).toEqual({ id: issued.id, status: 'ISSUED' });
    expect(codeOf(await gql('mutation($id: ID!) { issueInvoice(invoiceId: $id) { id } }', { id: issued.id }, 'dispatcher'))).toBe('FORBIDDEN');
  }, 180_000);

  it('auditor: the order’s trail says who created, planned, started and delivered it', async () => {
    const TRAIL = 'query($id: ID!) { order(id: $id) { auditTrail(first: 100) { edges { node { eventType operation actor { email } } } } } }';
    type Entry = { eventType: string; operation: string | null; actor: { email: string } | null };
    const trail = await eventually('the delivery in the order’s trail', async () => {
      const nodes: Entry[] = (await ok(TRAIL, { id: made.customerOrder }, 'auditor')).order.auditTrail.edges.map((e: { node: Entry }) => e.node);
      return nodes.some((n) => n.eventType.includes('stop.completed')) ? nodes : undefined;
    });
    const actorOf = (pattern: RegExp) => trail.filter((n) => pattern.test(n.eventType) || pattern.test(n.operation ?? '')).map((n) => n.actor?.email);
    expect(actorOf(/createOrder|order\.created/)).toContain('customer@demo.test');
    expect(actorOf(/planDay|route\.planned/)).toContain('dispatcher@demo.test');
    expect(actorOf(/startRoute|route\.started/)).toContain('driver@demo.test');
    expect(actorOf(/completeStop|stop\.completed/)).toContain('driver@demo.test');
    const chain = (await ok('query { verifyAuditChain { ok } }', {}, 'auditor')).verifyAuditChain;
    expect(chain.ok).toBe(true);
  }, 180_000);

  it('partner: runs its safelisted operations by id, by POST and by GET', async () => {
    const key = (await ok('mutation { createApiKey(input: { clientName: "shop", roles: [PARTNER] }) { secret } }', {}, 'admin')).createApiKey.secret as string;
    const byId = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });
    const post = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ variables: { input: orderInput({ reference: `WD-${Date.now()}` }) }, extensions: byId(SHOP.ShopCreateOrder!) }),
    });
    const created = (await post.json()) as { data?: { createOrder: { id: string } }; errors?: unknown[] };
    keepsPromise(created);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createOrder.id;

    const url = new URL(g.url);
    url.searchParams.set('variables', JSON.stringify({ id }));
    url.searchParams.set('extensions', JSON.stringify(byId(SHOP.ShopTrackOrder!)));
    const got = await fetch(url, { headers: { 'x-api-key': key } });
    expect(got.status).toBe(200);
    const tracked = (await got.json()) as { data?: { order: { id: string; status: string } }; errors?: unknown[] };
    keepsPromise(tracked);
    expect(tracked.errors).toBeUndefined();
    expect(tracked.data!.order).toMatchObject({ id, status: 'CREATED' });
  }, 180_000);
});
