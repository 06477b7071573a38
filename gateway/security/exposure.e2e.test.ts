/**
 * Same-tenant over-exposure (issue 21, findings 5 and 11): what a role may read of rate cards,
 * users, vehicles, depots and etas, by role and ownership, on every path: the gateway's fields and
 * `_entities` straight at the owning subgraph. A hidden field answers FORBIDDEN, never data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../subgraphs/iam/seed.ts';
import { eventually } from '../../subgraphs/platform/events/testing/test-support.ts';
import { orderInput, type GqlResponse, type TestGraph } from '../testing/harness.ts';
import { liveSetups, startLiveGraph } from '../testing/live-graphs.ts';
import { codesAt, join, keepsPromise, ok, subgraphUrl } from '../testing/visibility.ts';

const ADMIN_ID = DEMO.users.find((u) => u.email === 'admin@demo.test')!.id;
const PRICE = 'query($input: PriceQuoteInput!) { priceQuote(input: $input) { total rateCard { name version rules } } }';
const ORDER_QUOTE = 'query($id: ID!) { order(id: $id) { id quote { total rateCard { name version rules } } } }';
const CREATE = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { id status } }';
const HISTORY = 'query($id: ID!) { order(id: $id) { id history { to actor { id name email roles } } } }';
const ENTITIES = (fields: string) => `query($reps: [_Any!]!) { _entities(representations: $reps) { ${fields} } }`;
const PLAN = `mutation($depotId: ID!, $date: String!) {
  planDay(depotId: $depotId, date: $date, timeLimitSeconds: 0.2) { routes { id stops { order { id } plannedArrival } } }
}`;
const KPI_VEHICLES = (fields: string) => `query($range: KpiRangeInput!) { kpis(range: $range, groupBy: DAY) { totals { vehicles { vehicleId vehicle { ${fields} } } } } }`;

describe.each(await liveSetups())('what each role reads, $name', (setup) => {
  let g: TestGraph;
  const t: Record<string, string> = {};
  let otherCustomer: { id: string; token: string };
  const gql = async (query: string, variables: Record<string, unknown>, token: string, url?: string) => keepsPromise(await g.gql(query, variables, token, url));

  beforeAll(async () => {
    g = await startLiveGraph(setup);
    for (const role of ['admin', 'dispatcher', 'customer', 'driver', 'finance', 'auditor']) t[role] = await g.login(`${role}@demo.test`);
    otherCustomer = await join(g, t.admin!, 'other.customer@demo.test', ['CUSTOMER'], 'Olga Other');
  });
  afterAll(() => g?.close());

  it('given a customer, then a quote names its rate card version but its rules are FORBIDDEN, on priceQuote and on the order; finance reads them', async () => {
    const input = { parcels: [{ weightKg: 2 }], distanceKm: 12 };
    const priced = await gql(PRICE, { input }, t.customer!);
    expect(priced.data?.priceQuote).toMatchObject({ total: expect.any(String), rateCard: { name: expect.any(String), version: expect.any(Number), rules: null } });
    expect(codesAt(priced, ['priceQuote', 'rateCard', 'rules'])).toEqual(['FORBIDDEN']);
    expect(ok(await gql(PRICE, { input }, t.finance!)).priceQuote.rateCard.rules).toEqual(expect.arrayContaining([expect.objectContaining({ kind: expect.any(String) })]));

    const id = ok(await gql(CREATE, { input: orderInput() }, t.customer!)).createOrder.id;
    const quoted = await eventually('the order to be quoted', async () => {
      const res = await gql(ORDER_QUOTE, { id }, t.customer!);
      return res.data?.order?.quote ? res : undefined;
    });
    expect(quoted.data!.order.quote.rateCard).toMatchObject({ name: expect.any(String), rules: null });
    expect(codesAt(quoted, ['order', 'quote', 'rateCard', 'rules'])).toEqual(['FORBIDDEN']);
    expect(ok(await gql(ORDER_QUOTE, { id }, t.auditor!)).order.quote.rateCard.rules).not.toBeNull();
  });

  it("given a customer, then another user's name, email and roles are FORBIDDEN, by the order's history and by iam's _entities; their own are not", async () => {
    const id = ok(await gql(CREATE, { input: orderInput() }, t.customer!)).createOrder.id;
    ok(await gql(CANCEL, { id }, t.admin!));
    const read = await gql(HISTORY, { id }, t.customer!);
    const cancelled = read.data!.order.history.findIndex((h: { to: string }) => h.to === 'CANCELLED');
    expect(read.data!.order.history[cancelled].actor).toBeNull();
    expect(codesAt(read, ['order', 'history', cancelled, 'actor'])).toContain('FORBIDDEN');
    expect(ok(await gql('query($id: ID!) { order(id: $id) { history { actor { id } } } }', { id }, t.customer!)).order.history.map((h: any) => h.actor?.id)).toContain(ADMIN_ID);
    expect(ok(await gql('{ me { id name email roles } }', {}, t.customer!)).me).toMatchObject({ email: 'customer@demo.test', roles: ['CUSTOMER'] });

    const reps = [{ __typename: 'User', id: ADMIN_ID }];
    const straight = await gql(ENTITIES('... on User { id email roles }'), { reps }, t.customer!, subgraphUrl(g, 'iam'));
    expect(straight.data?._entities).toEqual([null]);
    expect(codesAt(straight, ['_entities', 0])).toContain('FORBIDDEN');
    // Staff see what their work needs: a dispatcher the admin's name, not their email or roles.
    const asDispatcher = await gql(ENTITIES('... on User { id name }'), { reps }, t.dispatcher!, subgraphUrl(g, 'iam'));
    expect(ok(asDispatcher)._entities).toEqual([{ id: ADMIN_ID, name: 'Ada Admin' }]);
    expect(codesAt(await gql(ENTITIES('... on User { email }'), { reps }, t.dispatcher!, subgraphUrl(g, 'iam')), ['_entities', 0])).toContain('FORBIDDEN');
    expect(ok(await gql(ENTITIES('... on User { email roles }'), { reps }, t.auditor!, subgraphUrl(g, 'iam')))._entities).toEqual([{ email: 'admin@demo.test', roles: ['ADMIN'] }]);
  });

  it("given a planned route, then a customer reads neither its vehicle nor its depot, another customer not the order's eta, and finance only the vehicle's name and capacity through kpis", async () => {
    const depot = ok(
      await gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }', { input: { name: `Exposure hub ${setup.name}`, line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } }, t.dispatcher!),
    ).createDepot.id;
    const vehicle = ok(
      await gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }', { input: { name: 'Exposure van', plate: 'B-EX-1', capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depot } }, t.dispatcher!),
    ).createVehicle.id;
    const id = ok(await gql(CREATE, { input: orderInput() }, t.customer!)).createOrder.id;
    await eventually('the order in the planning pool', async () =>
      ok(await gql('{ planningPool(first: 100) { edges { node { order { id } } } } }', {}, t.dispatcher!)).planningPool.edges.some((e: any) => e.node.order.id === id),
    );
    const date = '2031-02-10';
    const route = ok(await gql(PLAN, { depotId: depot, date }, t.dispatcher!)).planDay.routes.find((r: any) => r.stops.some((s: any) => s.order.id === id));
    const eta = route.stops.find((s: any) => s.order.id === id).plannedArrival;
    const planning = subgraphUrl(g, 'planning');

    const vehicleProbe = await gql(ENTITIES('... on Vehicle { id plate costPerKm }'), { reps: [{ __typename: 'Vehicle', id: vehicle }] }, t.customer!, planning);
    expect(vehicleProbe.data?._entities).toEqual([null]);
    expect(codesAt(vehicleProbe, ['_entities', 0])).toContain('FORBIDDEN');
    const depotProbe = await gql(ENTITIES('... on Depot { id name line1 }'), { reps: [{ __typename: 'Depot', id: depot }] }, t.customer!, planning);
    expect(depotProbe.data?._entities).toEqual([null]);
    expect(codesAt(depotProbe, ['_entities', 0])).toContain('FORBIDDEN');

    const etaOf = (token: string) => gql(ENTITIES('... on Order { eta }'), { reps: [{ __typename: 'Order', id }] }, token, planning);
    expect(ok(await etaOf(t.customer!))._entities).toEqual([{ eta }]);
    const foreign = await etaOf(otherCustomer.token);
    expect(foreign.data?._entities).toEqual([{ eta: null }]);
    expect(codesAt(foreign, ['_entities', 0, 'eta'])).toEqual(['FORBIDDEN']);
    expect(ok(await gql('query($id: ID!) { order(id: $id) { eta } }', { id }, t.customer!)).order.eta).toBe(eta);

    // Finance: FORBIDDEN on vehicles, and so on their plate and cost through the KPIs that name them.
    const range = { from: `${date}T00:00:00Z`, to: '2031-02-11T00:00:00Z' };
    const named = await eventually('the KPIs to count the route', async () => {
      const res = await gql(KPI_VEHICLES('name capacityKg'), { range }, t.finance!);
      return res.data?.kpis.totals.vehicles.some((v: any) => v.vehicleId === vehicle) ? res : undefined;
    });
    expect(ok(named as GqlResponse).kpis.totals.vehicles.find((v: any) => v.vehicleId === vehicle).vehicle).toEqual({ name: 'Exposure van', capacityKg: 100 });
    const costly = await gql(KPI_VEHICLES('name plate costPerKm'), { range }, t.finance!);
    const at = costly.data!.kpis.totals.vehicles.findIndex((v: any) => v.vehicleId === vehicle);
    expect(costly.data!.kpis.totals.vehicles[at].vehicle).toBeNull();
    expect(codesAt(costly, ['kpis', 'totals', 'vehicles', at, 'vehicle'])).toContain('FORBIDDEN');
    expect(ok(await gql(KPI_VEHICLES('plate costPerKm'), { range }, t.dispatcher!)).kpis.totals.vehicles.find((v: any) => v.vehicleId === vehicle).vehicle).toEqual({ plate: 'B-EX-1', costPerKm: '0.8500' });
  });
});
