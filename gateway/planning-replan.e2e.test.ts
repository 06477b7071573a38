import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { timeRoute } from '../subgraphs/planning/domain/route-timing.ts';
import { distanceKm, SPEED_KM_PER_MIN } from '../subgraphs/planning/domain/travel.ts';
import { availableTransports, orderInput, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';

const TRANSPORTS = await availableTransports('planning re-plan');

const DRIVER_ID = DEMO.users.find((u) => u.email === 'driver@demo.test')!.id;
const HUB = { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 };

const CREATE_DEPOT = 'mutation($input: CreateDepotInput!) { createDepot(input: $input) { id name timeZone } }';
const CREATE_VEHICLE = 'mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }';
const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const POOL = 'query { planningPool(first: 100) { edges { node { order { id } } } } }';
const RESULT = `routes { id status startsAt distanceKm vehicle { id } driver { email } stops { id sequence plannedArrival order { id } } }
  unserved { order { id } reason } dissolvedRouteIds`;
const PLAN = `mutation($depotId: ID!, $date: String!) { planDay(depotId: $depotId, date: $date, timeLimitSeconds: 0.2) { ${RESULT} } }`;
const REPLAN = `mutation($depotId: ID!, $date: String!) { replanDay(depotId: $depotId, date: $date, timeLimitSeconds: 0.2) { ${RESULT} } }`;
const ROUTE = 'query($id: ID!) { route(id: $id) { id status distanceKm driver { email } stops { id sequence order { id } } } }';
const ORDER = 'query($id: ID!) { order(id: $id) { id status route { id } eta } }';
/** Billing's side of a plan: the order's share of its route, as finance sees it (the price itself stays at checkout). */
const PLANNED_SHARE = 'query($id: ID!) { order(id: $id) { quote { distanceSource plannedDistanceKm } } }';
const ASSIGN = 'mutation($route: ID!, $driver: ID!) { assignDriver(routeId: $route, driverId: $driver) { id } }';
const START = 'mutation($id: ID!) { startRoute(routeId: $id) { id status } }';
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { status } }';

interface Stop {
  id: string;
  sequence: number;
  plannedArrival: string;
  order: { id: string };
}
interface Route {
  id: string;
  status: string;
  startsAt: string;
  distanceKm: number;
  vehicle: { id: string };
  driver: { email: string } | null;
  stops: Stop[];
}
interface PlanResult {
  routes: Route[];
  unserved: Array<{ order: { id: string }; reason: string }>;
  dissolvedRouteIds: string[];
}

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const codeOf = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const ordersOn = (route: { stops: Array<{ order: { id: string } }> }) => route.stops.map((s) => s.order.id);

describe.each(TRANSPORTS)('re-planning and time zones through the gateway on the %s transport', (kind) => {
  let g: TestGraph;
  let dispatcher: string;
  let customer: string;
  let stranger: string;
  let finance: string;
  let seq = 0;

  const depot = async (extra: Record<string, unknown> = {}) =>
    ok(await g.gql(CREATE_DEPOT, { input: { name: `Replan hub ${++seq}`, ...HUB, ...extra } }, dispatcher)).createDepot as { id: string; name: string; timeZone: string };
  const vehicle = async (depotId: string, capacityKg: number) =>
    ok(await g.gql(CREATE_VEHICLE, { input: { name: `Van ${++seq}`, plate: `RP-${seq}`, capacityKg, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '1', homeDepotId: depotId } }, dispatcher))
      .createVehicle.id as string;
  /** An order wanted on `date` only, so plans of other days (other tests) leave it alone. */
  const createOrder = async (date: string, over: { weightKg?: number; lat?: number; lon?: number; window?: [string, string] } = {}) => {
    const [start, end] = over.window ?? [`${date}T06:00:00Z`, `${date}T20:00:00Z`];
    const input = orderInput({
      parcels: [{ weightKg: over.weightKg ?? 1 }],
      deliveryWindow: { start, end },
      ...(over.lat !== undefined ? { dropoff: { line1: 'Somewhere 1', city: 'Brandenburg', postalCode: '14467', country: 'DE', lat: over.lat, lon: over.lon } } : {}),
    });
    return ok(await g.gql(CREATE_ORDER, { input }, dispatcher)).createOrder.id as string;
  };
  const inPool = (ids: string[]) =>
    eventually('the orders in the planning pool', async () => {
      const pool = (ok(await g.gql(POOL, {}, dispatcher)).planningPool.edges as Array<{ node: { order: { id: string } } }>).map((e) => e.node.order.id);
      return ids.every((id) => pool.includes(id));
    });
  const plan = async (query: string, depotId: string, date: string) => {
    const data = ok(await g.gql(query, { depotId, date }, dispatcher));
    return (data.planDay ?? data.replanDay) as PlanResult;
  };
  const order = async (id: string) => (await g.gql(ORDER, { id }, dispatcher)).data?.order;
  const orderBecomes = (id: string, check: (o: any) => boolean, what: string) =>
    eventually(what, async () => {
      const o = await order(id);
      return o && check(o) ? o : undefined;
    });
  /** Billing has (onRoute) or has dropped the order's share of a route; the quote stays on its direct distance. */
  const plannedShare = (id: string, onRoute: boolean, what: string) =>
    eventually(what, async () => {
      const quote = (await g.gql(PLANNED_SHARE, { id }, finance)).data?.order?.quote;
      return quote && (quote.plannedDistanceKm !== null) === onRoute && quote.distanceSource === 'DIRECT' ? quote : undefined;
    });
  const assignDemoDriver = (routeId: string) =>
    eventually('planning to know the demo driver', async () => {
      const res = await g.gql(ASSIGN, { route: routeId, driver: DRIVER_ID }, dispatcher);
      return res.errors ? undefined : res.data!.assignDriver;
    });

  beforeAll(async () => {
    g = await startTestGraphOn(kind);
    [dispatcher, customer, stranger, finance] = await Promise.all([
      g.login('dispatcher@demo.test'),
      g.login('customer@demo.test'),
      g.login('dispatcher@globex.test'),
      g.login('finance@demo.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given a started and an unstarted route, when the day is re-planned, then the started one is kept and the other takes the new order, keeping its id and driver', async () => {
    const date = '2031-02-03';
    const { id: depotId } = await depot();
    await vehicle(depotId, 10);
    await vehicle(depotId, 10);
    const a = await createOrder(date, { weightKg: 8 });
    const b = await createOrder(date, { weightKg: 8, lat: 52.4125, lon: 12.5316 });
    await inPool([a, b]);
    const first = await plan(PLAN, depotId, date);
    expect(first.routes).toHaveLength(2); // 8 + 8 kg do not fit one 10 kg van
    const routeA = first.routes.find((r) => ordersOn(r).includes(a))!;
    const routeB = first.routes.find((r) => ordersOn(r).includes(b))!;
    await assignDemoDriver(routeA.id);
    await assignDemoDriver(routeB.id);
    ok(await g.gql(START, { id: routeB.id }, dispatcher));
    await orderBecomes(b, (o) => o.status === 'IN_TRANSIT', 'b in transit');

    const c = await createOrder(date, { weightKg: 1, lat: 52.5, lon: 13.3 });
    await inPool([c]);
    const again = await plan(REPLAN, depotId, date);
    expect(again.dissolvedRouteIds).toEqual([]);
    expect(again.unserved).toEqual([]);
    expect(again.routes).toHaveLength(1);
    const replanned = again.routes[0]!;
    expect(replanned).toMatchObject({ id: routeA.id, status: 'PLANNED', driver: { email: 'driver@demo.test' }, vehicle: routeA.vehicle });
    expect(ordersOn(replanned).sort()).toEqual([a, c].sort());
    expect(replanned.stops.map((s) => s.sequence)).toEqual([0, 1]);

    // The started route is as it was.
    const started = ok(await g.gql(ROUTE, { id: routeB.id }, dispatcher)).route;
    expect(started).toMatchObject({ status: 'IN_PROGRESS', distanceKm: routeB.distanceKm });
    expect(started.stops.map((s: Stop) => s.id)).toEqual(routeB.stops.map((s) => s.id));
    // The new order is planned on the kept route, the moved one still is, with its new stop's ETA.
    const planned = await orderBecomes(c, (o) => o.status === 'PLANNED', 'c planned');
    expect(planned.route).toEqual({ id: routeA.id });
    const stopA = replanned.stops.find((s) => s.order.id === a)!;
    expect(await order(a)).toMatchObject({ status: 'PLANNED', route: { id: routeA.id }, eta: stopA.plannedArrival });
  });

  it('given a new order the only van cannot carry beside the planned one, when re-planned, then the shorter plan wins and the other order goes back: CREATED, in the pool, its cost to serve dropped by billing', async () => {
    const date = '2031-02-04';
    const { id: depotId } = await depot();
    await vehicle(depotId, 10);
    const far = await createOrder(date, { weightKg: 8, lat: 52.4125, lon: 12.5316 });
    await inPool([far]);
    const first = await plan(PLAN, depotId, date);
    const routeId = first.routes[0]!.id;
    await orderBecomes(far, (o) => o.status === 'PLANNED', 'far planned');
    await plannedShare(far, true, "far's share of the route recorded by billing");

    const near = await createOrder(date, { weightKg: 9, lat: 52.52, lon: 13.35 });
    await inPool([near]);
    const again = await plan(REPLAN, depotId, date);
    expect(again.routes.map((r) => [r.id, ordersOn(r)])).toEqual([[routeId, [near]]]);
    expect(again.unserved).toEqual([{ order: { id: far }, reason: 'FLEET_TOO_SMALL' }]);

    const back = await orderBecomes(far, (o) => o.status === 'CREATED', 'far back to CREATED');
    await plannedShare(far, false, "far's share of the route dropped by billing");
    expect(back).toMatchObject({ route: null, eta: null });
    await inPool([far]);
    await orderBecomes(near, (o) => o.status === 'PLANNED', 'near planned');
    await plannedShare(near, true, "near's share of the route recorded by billing");
  });

  it('given a route left empty by a cancellation, when re-planned, then the vehicle not needed any more loses its route', async () => {
    const date = '2031-02-05';
    const { id: depotId } = await depot();
    await vehicle(depotId, 10);
    await vehicle(depotId, 10);
    const x = await createOrder(date, { weightKg: 8 });
    const y = await createOrder(date, { weightKg: 8, lat: 52.4125, lon: 12.5316 });
    await inPool([x, y]);
    const first = await plan(PLAN, depotId, date);
    expect(first.routes).toHaveLength(2);
    await orderBecomes(y, (o) => o.status === 'PLANNED', 'y planned');
    ok(await g.gql(CANCEL, { id: y }, dispatcher));
    const emptied = first.routes.find((r) => ordersOn(r).includes(y))!;
    await eventually('the cancelled order off its route', async () => (ok(await g.gql(ROUTE, { id: emptied.id }, dispatcher)).route.stops.length === 0 ? true : undefined));

    const again = await plan(REPLAN, depotId, date);
    expect(again.routes).toHaveLength(1);
    expect(ordersOn(again.routes[0]!)).toEqual([x]);
    expect(again.dissolvedRouteIds).toHaveLength(1);
    const [gone] = again.dissolvedRouteIds;
    expect(first.routes.map((r) => r.id)).toContain(gone);
    expect(ok(await g.gql(ROUTE, { id: gone }, dispatcher)).route).toBeNull();
    expect(await order(x)).toMatchObject({ status: 'PLANNED', route: { id: again.routes[0]!.id } });
  });

  it('given a cancellation that frees the route from its early stop, then the remaining stops are re-sequenced into a shorter drive', async () => {
    const date = '2031-02-06';
    const { id: depotId } = await depot();
    await vehicle(depotId, 100);
    // p0 must come first (its window closes just after a direct drive there); with it gone, the
    // order it forced on p1, p2, p3 is 12 km longer than their best order.
    const p0 = { lat: 52.6689, lon: 13.6217 };
    const rest = [
      { lat: 52.6541, lon: 13.583 },
      { lat: 52.6951, lon: 13.2511 },
      { lat: 52.4705, lon: 13.5864 },
    ];
    const direct = distanceKm(HUB, p0) / SPEED_KM_PER_MIN;
    const closes = new Date(Date.parse(`${date}T08:00:00Z`) + (direct + 2) * 60_000).toISOString();
    const first = await createOrder(date, { ...p0, window: [`${date}T08:00:00Z`, closes] });
    const others: string[] = [];
    for (const p of rest) others.push(await createOrder(date, p));
    await inPool([first, ...others]);
    const planned = (await plan(PLAN, depotId, date)).routes[0]!;
    expect(ordersOn(planned)[0]).toBe(first);
    const closedUp = timeRoute(HUB, 480, ordersOn(planned).slice(1).map((id) => ({ ...rest[others.indexOf(id)]!, serviceTimeMin: 5, readyMin: null }))).distanceKm;
    await orderBecomes(first, (o) => o.status === 'PLANNED', 'the first order planned');

    ok(await g.gql(CANCEL, { id: first }, dispatcher));
    const after = await eventually('the route without the cancelled order', async () => {
      const r = ok(await g.gql(ROUTE, { id: planned.id }, dispatcher)).route;
      return r.stops.length === 3 ? r : undefined;
    });
    const orders = ordersOn(after);
    const best = Math.min(...permutations(rest).map((ps) => timeRoute(HUB, 480, ps.map((p) => ({ ...p, serviceTimeMin: 5, readyMin: null }))).distanceKm));
    expect(after.distanceKm).toBeLessThan(closedUp - 5);
    expect(after.distanceKm).toBeCloseTo(best, 2);
    expect(orders).not.toEqual(ordersOn(planned).slice(1));
    expect(after.stops.map((s: Stop) => s.sequence)).toEqual([0, 1, 2]);
  });

  it('given a Berlin depot, then shifts are Berlin time and planned instants follow it; an unknown time zone is refused', async () => {
    const date = '2031-02-07';
    const berlin = await depot({ timeZone: 'europe/berlin' });
    expect(berlin.timeZone).toBe('Europe/Berlin');
    await vehicle(berlin.id, 100);
    const id = await createOrder(date);
    await inPool([id]);
    const route = (await plan(PLAN, berlin.id, date)).routes[0]!;
    expect(route.startsAt).toBe(`${date}T07:00:00.000Z`); // 08:00 CET
    const arrival = Date.parse(route.stops[0]!.plannedArrival);
    expect((arrival - Date.parse(route.startsAt)) / 60_000).toBeCloseTo(distanceKm(HUB, { lat: 52.3989, lon: 13.0657 }) / SPEED_KM_PER_MIN, 0);
    expect((await orderBecomes(id, (o) => o.status === 'PLANNED', 'planned')).eta).toBe(route.stops[0]!.plannedArrival);

    const bad = await g.gql(CREATE_DEPOT, { input: { name: 'Nowhere hub', ...HUB, timeZone: 'Mars/Olympus_Mons' } }, dispatcher);
    expect([codeOf(bad), bad.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'input.timeZone']);
    expect(ok(await g.gql('query { depots { name timeZone } }', {}, dispatcher)).depots).toContainEqual({ name: berlin.name, timeZone: 'Europe/Berlin' });
  });

  it('refuses re-planning for an unknown or foreign depot, a bad date, and callers who do not plan', async () => {
    const { id: depotId } = await depot();
    expect(codeOf(await g.gql(REPLAN, { depotId: crypto.randomUUID(), date: '2031-02-08' }, dispatcher))).toBe('NOT_FOUND');
    expect(codeOf(await g.gql(REPLAN, { depotId, date: '2031-02-08' }, stranger))).toBe('NOT_FOUND');
    expect(codeOf(await g.gql(REPLAN, { depotId, date: '2031-02-08' }, customer))).toBe('FORBIDDEN');
    const past = await g.gql(REPLAN, { depotId, date: '2020-01-01' }, dispatcher);
    expect([codeOf(past), past.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'date']);
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}
