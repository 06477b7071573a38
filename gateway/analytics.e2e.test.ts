import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceIssued, InvoicePaid, InvoiceVoided, QuoteCalculated } from '../subgraphs/billing/events/contracts.ts';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';
import type { EventEnvelope } from '../subgraphs/platform/events/envelope.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { RoutePlanned, RouteStarted, StopCompleted } from '../subgraphs/planning/events/contracts.ts';
import { kpiFigures } from '../subgraphs/analytics/services/figures.ts';
import { replayTopics } from '../subgraphs/analytics/services/rebuild.ts';
import { databaseStore } from '../subgraphs/analytics/services/store.ts';
import { openAnalyticsDb } from '../subgraphs/analytics/testing.ts';
import { ANALYTICS_CONSUMES } from '../subgraphs/analytics/domain/facts.ts';
import { availableTransports, orderInput, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';

const TRANSPORTS = await availableTransports('analytics');

const ORG = DEMO.organization.id;
const CORA = DEMO.users.find((u) => u.email === 'customer@demo.test')!.id;
const DRIVER_ID = DEMO.users.find((u) => u.email === 'driver@demo.test')!.id;
const TOPICS = [...new Set(Object.values(ANALYTICS_CONSUMES).flat().map((c) => c.topic))];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Exactly the fields of services/figures.ts, so a rebuilt model can be compared with the live answer. */
const PERIOD = `start end ordersCreated ordersDelivered ordersFailed ordersCancelled onTime { delivered onTime rate }
  revenue { currency invoiced invoicedNet invoices paid paidInvoices }
  averagePrice { currency orders total distanceKm weightKg perKm perKg }
  vehicles { vehicleId routes stops distanceKm loadKg averageLoadKg }`;
const FIGURES = `query($range: KpiRangeInput!, $groupBy: KpiGrouping!) {
  kpis(range: $range, groupBy: $groupBy) { periods { ${PERIOD} } totals { ${PERIOD} } topCustomers(limit: 10) { customerId orders delivered revenue { currency amount } } }
}`;
const NAMES = `query($range: KpiRangeInput!) {
  kpis(range: $range, groupBy: MONTH) { from to groupBy totals { vehicles { vehicleId vehicle { name capacityKg } } } topCustomers(limit: 2) { customer { name email } orders } }
}`;
const ORG_KPIS = `query($range: KpiRangeInput!) { me { organization { id kpis(range: $range, groupBy: DAY) { totals { ordersCreated ordersCancelled } } } } }`;
const TOTALS = `query($range: KpiRangeInput!, $groupBy: KpiGrouping!) { kpis(range: $range, groupBy: $groupBy) { totals { ordersCreated } } }`;
const REBUILD = 'mutation { rebuildKpis { events seconds identical differences } }';

const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const QUOTE = 'query($id: ID!) { order(id: $id) { id status quote { total currency distanceSource } } }';

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const failure = (res: GqlResponse) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field });
const uuid = () => crypto.randomUUID();
const iso = (ms: number) => new Date(ms).toISOString();
const midnight = (ms: number) => Math.floor(ms / DAY) * DAY;

describe.each(TRANSPORTS)('analytics through the gateway on the %s transport', (kind) => {
  let g: TestGraph;
  let admin: string;
  let dispatcher: string;
  let customer: string;
  let finance: string;
  let auditor: string;
  let driver: string;
  let stranger: string;

  const now = Date.now();
  /** Today, yesterday and tomorrow (UTC): where the orders, deliveries and invoices of this suite fall. */
  const days = { from: iso(midnight(now) - DAY), to: iso(midnight(now) + 2 * DAY) };
  /** The planned days of the suite's routes. */
  const routeDays = { from: '2031-01-01T00:00:00Z', to: '2031-02-01T00:00:00Z' };
  const ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G', string> = { A: '', B: '', C: '', D: '', E: '', F: '', G: '' };
  const published: Array<{ topic: string; envelope: EventEnvelope }> = [];
  let vehicleId = '';
  let routeId = '';

  const figures = (range: { from: string; to: string }, groupBy = 'DAY', token = dispatcher) => g.gql(FIGURES, { range, groupBy }, token);
  const publish = async (topic: string, envelope: EventEnvelope) => {
    published.push({ topic, envelope });
    await g.graph.transport.publish(topic, [{ envelope }]);
  };
  const drained = () => eventually('analytics to catch up', async () => (await g.graph.transport.lag('analytics', TOPICS)) === 0);

  beforeAll(async () => {
    g = await startTestGraphOn(kind);
    [admin, dispatcher, customer, finance, auditor, driver, stranger] = await Promise.all([
      g.login('admin@demo.test'),
      g.login('dispatcher@demo.test'),
      g.login('customer@demo.test'),
      g.login('finance@demo.test'),
      g.login('auditor@demo.test'),
      g.login('driver@demo.test'),
      g.login('dispatcher@globex.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given orders placed, planned, re-planned, delivered, failed and cancelled through the graph, then the KPIs count each at its instant', async () => {
    const create = async (token: string, weightKg: number, deliveryWindow?: { start: string; end: string }) =>
      ok(await g.gql(CREATE_ORDER, { input: orderInput({ parcels: [{ weightKg }], ...(deliveryWindow ? { deliveryWindow } : {}) }) }, token)).createOrder.id as string;
    const depot = { name: 'KPI hub', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 };
    const depotId = ok(await g.gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }', { input: depot }, dispatcher)).createDepot.id;
    const van = { name: 'KPI van', plate: 'B-KPI-1', capacityKg: 500, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depotId };
    vehicleId = ok(await g.gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }', { input: van }, dispatcher)).createVehicle.id;

    ids.C = await create(customer, 4);
    ids.E = await create(customer, 2);
    ids.F = await create(customer, 3);
    ids.G = await create(dispatcher, 1);
    ids.D = await create(dispatcher, 5);
    ok(await g.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: ids.D }, dispatcher));
    await eventually('the orders in the planning pool', async () => {
      const pool = ok(await g.gql('query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, dispatcher)).planningPool.edges;
      const pooled = pool.map((e: { node: { order: { id: string } } }) => e.node.order.id);
      return [ids.C, ids.E, ids.F, ids.G].every((id) => pooled.includes(id));
    });
    // D's created and cancelled events may still be on their way to planning (another partition
    // than the others'): planDay then answers CONFLICT, "plan again", and a dispatcher would.
    const planDay = async () => {
      for (let attempt = 1; ; attempt++) {
        const res = await g.gql('mutation($d: ID!) { planDay(depotId: $d, date: "2031-01-06", timeLimitSeconds: 0.1) { routes { id stops { id order { id } } } } }', { d: depotId }, dispatcher);
        if (res.errors?.[0]?.extensions?.code !== 'CONFLICT' || attempt === 5) return ok(res).planDay;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const plan = await planDay();
    expect(plan.routes).toHaveLength(1);
    routeId = plan.routes[0].id;
    const stopOf = (orderId: string) => plan.routes[0].stops.find((s: { order: { id: string } }) => s.order.id === orderId).id as string;
    await eventually('G planned', async () => ok(await g.gql(QUOTE, { id: ids.G }, dispatcher)).order.status === 'PLANNED');
    // Cancelling a planned order re-plans its route: the newer plan is the one analytics keeps.
    ok(await g.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: ids.G }, dispatcher));
    await eventually('the route re-planned without G', async () => {
      const route = ok(await g.gql('query($id: ID!) { route(id: $id) { stops { id } } }', { id: routeId }, dispatcher)).route;
      return route.stops.length === 3;
    });
    await eventually('the driver to be known to planning', async () => !(await g.gql('mutation($r: ID!, $d: ID!) { assignDriver(routeId: $r, driverId: $d) { id } }', { r: routeId, d: DRIVER_ID }, dispatcher)).errors);
    ok(await g.gql('mutation($id: ID!) { startRoute(routeId: $id) { id } }', { id: routeId }, driver));
    ok(await g.gql('mutation($id: ID!) { completeStop(stopId: $id, proof: { recipientName: "C" }) { id } }', { id: stopOf(ids.C) }, driver));
    ok(await g.gql('mutation($id: ID!) { completeStop(stopId: $id, proof: { recipientName: "F" }) { id } }', { id: stopOf(ids.F) }, driver));
    ok(await g.gql('mutation($id: ID!) { failStop(stopId: $id, reason: "nobody home") { id } }', { id: stopOf(ids.E) }, driver));

    // Two orders with a window, delivered (by events planning would send) inside it and after it.
    const window = { start: iso(now + HOUR), end: iso(now + 5 * HOUR) };
    ids.A = await create(customer, 2.5, window);
    ids.B = await create(dispatcher, 1.5, window);
    const r2 = uuid();
    const meta = { subject: r2, orgId: ORG };
    await publish(
      RoutePlanned.topic,
      RoutePlanned.create({ routeId: r2, vehicleId: uuid(), date: '2031-01-07', distanceKm: 12.3456, stops: [ids.A, ids.B].map((orderId, sequence) => ({ stopId: uuid(), orderId, sequence, plannedArrival: window.start })) }, meta),
    );
    await publish(RouteStarted.topic, RouteStarted.create({ routeId: r2, orderIds: [ids.A, ids.B], startedAt: iso(now) }, meta));
    await publish(StopCompleted.topic, StopCompleted.create({ routeId: r2, stopId: uuid(), orderId: ids.A, completedAt: iso(now + 2 * HOUR), recipientName: 'A' }, meta));
    await publish(StopCompleted.topic, StopCompleted.create({ routeId: r2, stopId: uuid(), orderId: ids.B, completedAt: iso(now + 6 * HOUR), recipientName: 'B' }, meta));

    const totals = await eventually('the KPIs to show every order', async () => {
      const t = ok(await figures(days)).kpis.totals;
      return t.ordersCreated === 7 && t.ordersDelivered === 4 && t.ordersFailed === 1 && t.ordersCancelled === 2 ? t : undefined;
    });
    expect(totals.onTime).toEqual({ delivered: 2, onTime: 1, rate: 0.5 });
    const today = ok(await figures(days)).kpis.periods;
    expect(today.map((p: { start: string }) => p.start)).toEqual([0, 1, 2].map((d) => iso(midnight(now) + (d - 1) * DAY)));
    expect(today[1].ordersCreated).toBe(7);
    expect(today[0].ordersCreated + today[2].ordersCreated).toBe(0);
  });

  it('averages the newest quote of each order that was not cancelled, per currency, exactly', async () => {
    const live = [ids.A, ids.B, ids.C, ids.E, ids.F];
    // Quotes reach analytics as events; wait until it has the quotes the orders show.
    const expected = await eventually('every quote to settle', async () => {
      const quotes = await Promise.all(live.map(async (id) => ok(await g.gql(QUOTE, { id }, dispatcher)).order.quote));
      if (quotes.some((q) => !q)) return undefined;
      const cents = quotes.reduce((sum, q) => sum + Math.round(Number(q.total) * 100), 0);
      const eur = ok(await figures(days)).kpis.totals.averagePrice.find((p: { currency: string }) => p.currency === 'EUR');
      return eur && Math.round(Number(eur.total) * 100) === cents ? { eur, cents } : undefined;
    });
    expect(expected.eur).toMatchObject({ orders: 5, weightKg: '13.000' });
    expect(expected.eur.total).toMatch(/^\d+\.\d{2}$/);
    const perKg = (expected.cents / 100 / 13).toFixed(4);
    expect(Math.abs(Number(expected.eur.perKg) - Number(perKg))).toBeLessThanOrEqual(0.0001);
    expect(Number(expected.eur.perKm)).toBeCloseTo(expected.cents / 100 / Number(expected.eur.distanceKm), 3);
  });

  it('reports vehicle utilization per planned route as its newest plan stands, with the vehicle from planning', async () => {
    const route = ok(await g.gql('query($id: ID!) { route(id: $id) { distanceKm } }', { id: routeId }, dispatcher)).route;
    const month = ok(await figures(routeDays, 'MONTH')).kpis.totals.vehicles;
    const van = month.find((v: { vehicleId: string }) => v.vehicleId === vehicleId);
    expect(van).toMatchObject({ routes: 1, stops: 3, loadKg: '9.000', averageLoadKg: '9.000' });
    expect(Number(van.distanceKm)).toBeCloseTo(route.distanceKm, 3);
    expect(month.find((v: { vehicleId: string }) => v.vehicleId !== vehicleId)).toMatchObject({ routes: 1, stops: 2, distanceKm: '12.346', loadKg: '4.000' });
    const answer = await g.gql(NAMES, { range: routeDays }, finance);
    const named = answer.data!.kpis;
    expect(named).toMatchObject({ from: '2031-01-01T00:00:00.000Z', to: '2031-02-01T00:00:00.000Z', groupBy: 'MONTH' });
    // planning resolves its own vehicle; one it does not know (published by this suite) is null.
    expect(named.totals.vehicles.find((v: { vehicleId: string }) => v.vehicleId === vehicleId).vehicle).toEqual({ name: 'KPI van', capacityKg: 500 });
    const unknown = named.totals.vehicles.findIndex((v: { vehicleId: string }) => v.vehicleId !== vehicleId);
    expect(named.totals.vehicles[unknown].vehicle).toBeNull();
    // The null is said, at its path, rather than left silent (the GraphQL promise).
    expect(answer.errors).toEqual([expect.objectContaining({ path: ['kpis', 'totals', 'vehicles', unknown, 'vehicle', 'name'], extensions: { code: 'SUBGRAPH_INVALID_VALUE' } })]);
  });

  it('given invoice events in any order, then revenue invoiced and paid is exact per currency, without voided invoices', async () => {
    // CHF: a currency the demo's own billing never uses, so only these events count here.
    const facts = (invoiceId: string, number: string, kind: 'INVOICE' | 'CREDIT_NOTE', subtotal: string, tax: string, total: string) =>
      ({ invoiceId, number, kind, customerId: CORA, currency: 'CHF', subtotal, tax, total });
    const i1 = facts(uuid(), 'KPI-1', 'INVOICE', '100.00', '19.00', '119.00');
    const i2 = facts(uuid(), 'KPI-2', 'INVOICE', '50.00', '9.50', '59.50');
    const cn = facts(uuid(), 'KPI-CN-1', 'CREDIT_NOTE', '-10.00', '-1.90', '-11.90');
    const on = (subject: string) => ({ subject, orgId: ORG });
    // Paid before issued arrives: each event sets its own date.
    await publish(InvoicePaid.topic, InvoicePaid.create({ ...i1, paidAt: iso(now + HOUR) }, on(i1.invoiceId)));
    await publish(InvoiceIssued.topic, InvoiceIssued.create({ ...i1, orderIds: [ids.C], creditsInvoiceId: null, issuedAt: iso(now) }, on(i1.invoiceId)));
    await publish(InvoiceIssued.topic, InvoiceIssued.create({ ...i2, orderIds: [ids.F], creditsInvoiceId: null, issuedAt: iso(now) }, on(i2.invoiceId)));
    await publish(InvoiceVoided.topic, InvoiceVoided.create({ ...i2, reason: 'wrong', voidedAt: iso(now + HOUR) }, on(i2.invoiceId)));
    await publish(InvoiceIssued.topic, InvoiceIssued.create({ ...cn, orderIds: [ids.C], creditsInvoiceId: i1.invoiceId, issuedAt: iso(now) }, on(cn.invoiceId)));
    await drained();
    const kpis = ok(await figures(days, 'DAY', finance)).kpis;
    expect(kpis.totals.revenue.find((r: { currency: string }) => r.currency === 'CHF')).toEqual({
      currency: 'CHF',
      invoiced: '107.10',
      invoicedNet: '90.00',
      invoices: 2,
      paid: '119.00',
      paidInvoices: 1,
    });
    const cora = kpis.topCustomers.find((c: { customerId: string }) => c.customerId === CORA);
    expect(cora).toMatchObject({ orders: 4, delivered: 3 });
    expect(cora.revenue).toContainEqual({ currency: 'CHF', amount: '107.10' });
  });

  it('ranks top customers by orders, resolved by iam, and answers Organization.kpis for the caller’s own organization only', async () => {
    const top = ok(await g.gql(NAMES, { range: days }, auditor)).kpis.topCustomers;
    expect(top).toEqual([
      { customer: { name: 'Cora Customer', email: 'customer@demo.test' }, orders: 4 },
      { customer: { name: 'Dan Dispatcher', email: 'dispatcher@demo.test' }, orders: 3 },
    ]);
    const me = ok(await g.gql(ORG_KPIS, { range: days }, admin)).me.organization;
    expect(me).toEqual({ id: ORG, kpis: { totals: { ordersCreated: 7, ordersCancelled: 2 } } });
    // Another tenant sees its own (empty) numbers, and the demo organization's KPIs resolve to null for it.
    expect(ok(await g.gql(ORG_KPIS, { range: days }, stranger)).me.organization).toEqual({ id: OTHER_TENANT.organization.id, kpis: { totals: { ordersCreated: 0, ordersCancelled: 0 } } });
    const analyticsUrl = g.graph.subgraphs.find((s) => s.name === 'analytics')!.url;
    const entities = 'query($reps: [_Any!]!, $range: KpiRangeInput!) { _entities(representations: $reps) { ... on Organization { kpis(range: $range, groupBy: DAY) { totals { ordersCreated } } } } }';
    const reps = [{ __typename: 'Organization', id: ORG }];
    expect(ok(await g.gql(entities, { reps, range: days }, stranger, analyticsUrl))._entities).toEqual([{ kpis: null }]);
    expect(ok(await g.gql(entities, { reps, range: days }, dispatcher, analyticsUrl))._entities).toEqual([{ kpis: { totals: { ordersCreated: 7 } } }]);
  });

  it('shows the numbers to ADMIN, DISPATCHER, FINANCE and AUDITOR only', async () => {
    for (const token of [admin, dispatcher, finance, auditor]) expect(ok(await g.gql(TOTALS, { range: days, groupBy: 'WEEK' }, token)).kpis.totals.ordersCreated).toBe(7);
    expect(failure(await g.gql(TOTALS, { range: days, groupBy: 'DAY' }, customer)).code).toBe('FORBIDDEN');
    expect(failure(await g.gql(TOTALS, { range: days, groupBy: 'DAY' }, driver)).code).toBe('FORBIDDEN');
    expect(failure(await g.gql(TOTALS, { range: days, groupBy: 'DAY' })).code).toBe('UNAUTHENTICATED');
    expect(failure(await g.gql(REBUILD, {}, dispatcher)).code).toBe('FORBIDDEN');
  });

  it('refuses a range that ends before it starts or is too long, an unknown grouping and a bad limit, each with a stable code and field', async () => {
    const totals = (range: unknown, groupBy: unknown = 'DAY') => g.gql(TOTALS, { range, groupBy }, dispatcher).then(failure);
    expect(await totals({ from: days.to, to: days.from })).toEqual({ code: 'BAD_USER_INPUT', field: 'range.to' });
    expect(await totals({ from: days.from, to: days.from })).toEqual({ code: 'BAD_USER_INPUT', field: 'range.to' });
    expect(await totals({ from: '2030-01-01T00:00:00Z', to: '2031-01-03T00:00:00Z' })).toEqual({ code: 'BAD_USER_INPUT', field: 'range.to' });
    expect((await totals({ from: '2030-01-01T00:00:00Z', to: '2031-01-02T00:00:00Z' })).code).toBeUndefined(); // 366 days is the maximum
    expect((await totals({ from: 'yesterday', to: days.to })).code).toBe('BAD_USER_INPUT');
    expect((await totals(days, 'YEAR')).code).toBe('BAD_USER_INPUT');
    const literal = await g.gql(`query { kpis(range: { from: "${days.from}", to: "${days.to}" }, groupBy: YEAR) { from } }`, {}, dispatcher);
    expect(failure(literal).code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(literal.errors?.[0]?.message).toContain('KpiGrouping');
    const limit = await g.gql('query($range: KpiRangeInput!) { kpis(range: $range, groupBy: DAY) { topCustomers(limit: 0) { orders } } }', { range: days }, dispatcher);
    expect(failure(limit)).toEqual({ code: 'BAD_USER_INPUT', field: 'limit' });
  });

  it('given every event again, in reverse, plus an older quote and another tenant’s event for the same order, then no figure moves', async () => {
    const before = ok(await figures(days)).kpis;
    const beforeRoutes = ok(await figures(routeDays, 'MONTH')).kpis;
    for (const { topic, envelope } of [...published].reverse()) await g.graph.transport.publish(topic, [{ envelope }, { envelope }]);
    const stale = { orderId: ids.C, customerId: CORA, rateCardVersionId: uuid(), currency: 'EUR', total: '999.99', distanceKm: '1.000', distanceSource: 'DIRECT' as const, lines: [] };
    await g.graph.transport.publish(QuoteCalculated.topic, [
      { envelope: QuoteCalculated.create(stale, { subject: ids.C, orgId: ORG, time: '2020-01-01T00:00:00Z' }) },
      { envelope: QuoteCalculated.create(stale, { subject: ids.C, orgId: OTHER_TENANT.organization.id }) },
    ]);
    await drained();
    expect(ok(await figures(days)).kpis).toEqual(before);
    expect(ok(await figures(routeDays, 'MONTH')).kpis).toEqual(beforeRoutes);
  });

  it('rebuilds from its event log with the same figures (rebuildKpis), and from the topics themselves into a fresh model', async () => {
    const live = ok(await figures(days)).kpis;
    const liveRoutes = ok(await figures(routeDays, 'MONTH')).kpis;
    const rebuilt = ok(await g.gql(REBUILD, {}, admin)).rebuildKpis;
    expect(rebuilt).toMatchObject({ identical: true, differences: [] });
    expect(rebuilt.events).toBeGreaterThan(20);
    expect(ok(await figures(days)).kpis).toEqual(live);

    // Replaying the topics from the beginning with a group of its own ends with the live figures.
    const fresh = await openAnalyticsDb();
    try {
      const result = await replayTopics(databaseStore(fresh.database), g.graph.transport, { topics: TOPICS, group: `analytics-rebuild-${uuid()}` });
      expect(result.events).toBeGreaterThan(20);
      const range = (r: { from: string; to: string }) => ({ from: new Date(r.from), to: new Date(r.to) });
      expect(await kpiFigures(fresh.database, { orgId: ORG, range: range(days), unit: 'day' })).toEqual(live);
      expect(await kpiFigures(fresh.database, { orgId: ORG, range: range(routeDays), unit: 'month' })).toEqual(liveRoutes);
    } finally {
      await fresh.close();
    }
  });
});
