import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { availableTransports, orderInput, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';

const TRANSPORTS = await availableTransports('planning');

const DRIVER_ID = DEMO.users.find((u) => u.email === 'driver@demo.test')!.id;

const CREATE_DEPOT = 'mutation($input: CreateDepotInput!) { createDepot(input: $input) { id name } }';
const CREATE_VEHICLE = `mutation($input: CreateVehicleInput!) {
  createVehicle(input: $input) { id plate capacityKg shiftStart shiftEnd costPerKm currency homeDepot { id } }
}`;
const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const POOL = 'query { planningPool(first: 100) { edges { node { order { id } weightKg dropoffCity } } } }';
const PLAN = `mutation($depotId: ID!, $date: String!) {
  planDay(depotId: $depotId, date: $date, timeLimitSeconds: 0.2) {
    routes { id date status distanceKm durationMin cost currency vehicle { id } stops { id sequence plannedArrival status order { id } } }
    unserved { order { id } reason message }
  }
}`;
const ORDER = `query($id: ID!) {
  order(id: $id) { id status route { id status driver { email } } eta stop { sequence status recipientName } }
}`;
const ROUTE = 'query($id: ID!) { route(id: $id) { id status distanceKm stops { id sequence order { id } status } } }';
const START = 'mutation($id: ID!) { startRoute(routeId: $id) { id status startedAt } }';
const COMPLETE = `mutation($id: ID!, $proof: ProofOfDeliveryInput!) {
  completeStop(stopId: $id, proof: $proof) { id status recipientName completedAt route { status } }
}`;
const FAIL = 'mutation($id: ID!, $reason: String!) { failStop(stopId: $id, reason: $reason) { id status failureReason } }';
const ASSIGN = 'mutation($route: ID!, $driver: ID!) { assignDriver(routeId: $route, driverId: $driver) { id driver { email } } }';

interface PlannedRoute {
  id: string;
  distanceKm: number;
  cost: string;
  stops: Array<{ id: string; sequence: number; plannedArrival: string; order: { id: string } }>;
}

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const codeOf = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const fieldOf = (res: GqlResponse) => res.errors?.[0]?.extensions?.field;

describe.each(TRANSPORTS)('planning through the gateway on the %s transport', (kind) => {
  let g: TestGraph;
  let dispatcher: string;
  let driver: string;
  let customer: string;
  let stranger: string;
  let seq = 0;

  /** A depot with one vehicle of its own, so each test plans its own day on its own fleet. */
  const fleet = async (vehicle: Record<string, unknown> = {}) => {
    seq++;
    const depot = ok(
      await g.gql(CREATE_DEPOT, { input: { name: `Hub ${seq}`, line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } }, dispatcher),
    ).createDepot;
    const input = { name: `Van ${seq}`, plate: `B-VT-${seq}`, capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depot.id, ...vehicle };
    const created = ok(await g.gql(CREATE_VEHICLE, { input }, dispatcher)).createVehicle;
    return { depotId: depot.id as string, vehicle: created };
  };
  const createOrder = async (overrides: Record<string, unknown> = {}) => ok(await g.gql(CREATE_ORDER, { input: orderInput(overrides) }, dispatcher)).createOrder.id as string;
  const pooled = async () => (ok(await g.gql(POOL, {}, dispatcher)).planningPool.edges as Array<{ node: { order: { id: string } } }>).map((e) => e.node.order.id);
  const inPool = (ids: string[]) => eventually('the planning pool to hold the orders', async () => {
    const pool = await pooled();
    return ids.every((id) => pool.includes(id));
  });
  const plan = async (depotId: string, date: string) => ok(await g.gql(PLAN, { depotId, date }, dispatcher)).planDay as { routes: PlannedRoute[]; unserved: Array<{ order: { id: string }; reason: string }> };
  const order = async (id: string, token = dispatcher) => (await g.gql(ORDER, { id }, token)).data?.order;
  const statusBecomes = (id: string, status: string) => eventually(`order ${status}`, async () => ((await order(id))?.status === status ? order(id) : undefined));

  beforeAll(async () => {
    g = await startTestGraphOn(kind);
    [dispatcher, driver, customer, stranger] = await Promise.all([
      g.login('dispatcher@demo.test'),
      g.login('driver@demo.test'),
      g.login('customer@demo.test'),
      g.login('dispatcher@globex.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given a depot, a vehicle and new orders, when the day is planned, then a route delivers them and the orders are PLANNED with route and eta', async () => {
    const { depotId, vehicle } = await fleet();
    expect(vehicle).toMatchObject({ capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.8500', currency: 'EUR', homeDepot: { id: depotId } });
    const ids = [await createOrder(), await createOrder({ dropoff: { line1: 'Markt 1', city: 'Brandenburg', postalCode: '14776', country: 'DE', lat: 52.4125, lon: 12.5316 } })];
    await inPool(ids);

    const result = await plan(depotId, '2031-01-02');
    const route = result.routes.find((r) => r.stops.some((s) => s.order.id === ids[0]))!;
    expect(route).toMatchObject({ date: '2031-01-02', status: 'PLANNED', currency: 'EUR', vehicle: { id: vehicle.id } });
    expect(route.cost).toMatch(/^\d+\.\d{2}$/);
    expect(route.stops.map((s) => s.order.id)).toEqual(expect.arrayContaining(ids));
    expect(route.stops.map((s) => s.sequence)).toEqual(route.stops.map((_, i) => i));
    expect(route.distanceKm).toBeGreaterThan(100); // Berlin - Potsdam - Brandenburg - Berlin
    expect(result.unserved.map((u) => u.order.id)).not.toContain(ids[0]);

    const planned = await statusBecomes(ids[0]!, 'PLANNED');
    const stop = route.stops.find((s) => s.order.id === ids[0])!;
    expect(planned).toMatchObject({ route: { id: route.id, status: 'PLANNED', driver: null }, eta: stop.plannedArrival, stop: { sequence: stop.sequence, status: 'PENDING' } });
    expect(Date.parse(stop.plannedArrival)).toBeGreaterThanOrEqual(Date.parse('2031-01-02T08:00:00Z'));
    expect(await pooled()).not.toContain(ids[0]);
  });

  it('given a planned route, when its driver starts it and records the stops, then the orders go IN_TRANSIT, then DELIVERED or FAILED', async () => {
    const { depotId } = await fleet();
    const ids = [await createOrder(), await createOrder()];
    await inPool(ids);
    const route = (await plan(depotId, '2031-01-03')).routes.find((r) => r.stops.some((s) => s.order.id === ids[0]))!;
    await statusBecomes(ids[0]!, 'PLANNED');

    expect(codeOf(await g.gql(START, { id: route.id }, dispatcher))).toBe('CONFLICT'); // no driver yet
    const assigned = await eventually('planning to know the demo driver', async () => {
      const res = await g.gql(ASSIGN, { route: route.id, driver: DRIVER_ID }, dispatcher);
      return res.errors ? undefined : res.data!.assignDriver;
    });
    expect(assigned.driver).toEqual({ email: 'driver@demo.test' });
    // The driver finds the day's work among their own routes, and only there.
    const mine = ok(await g.gql('query { routes(date: "2031-01-03") { edges { node { id driver { email } } } } }', {}, driver)).routes.edges;
    expect(mine).toEqual([{ node: { id: route.id, driver: { email: 'driver@demo.test' } } }]);
    expect(ok(await g.gql('query($d: ID) { routes(driverId: $d) { edges { node { id } } } }', { d: DEMO.users[0].id }, driver)).routes.edges).toEqual([]);
    expect(ok(await g.gql(START, { id: route.id }, driver)).startRoute).toMatchObject({ status: 'IN_PROGRESS' });
    await statusBecomes(ids[0]!, 'IN_TRANSIT');

    const stopOf = (id: string) => route.stops.find((s) => s.order.id === id)!.id;
    expect(codeOf(await g.gql(COMPLETE, { id: stopOf(ids[0]!), proof: { recipientName: 'X' } }, customer))).toBe('FORBIDDEN');
    const proof = { recipientName: 'R. Ecipient', signatureRef: 'sig/123' };
    expect(ok(await g.gql(COMPLETE, { id: stopOf(ids[0]!), proof }, driver)).completeStop).toMatchObject({ status: 'COMPLETED', recipientName: 'R. Ecipient' });
    expect(codeOf(await g.gql(COMPLETE, { id: stopOf(ids[0]!), proof }, driver))).toBe('CONFLICT'); // twice
    expect(ok(await g.gql(FAIL, { id: stopOf(ids[1]!), reason: 'nobody home' }, driver)).failStop).toMatchObject({ status: 'FAILED', failureReason: 'nobody home' });

    const delivered = await statusBecomes(ids[0]!, 'DELIVERED');
    expect(delivered).toMatchObject({ eta: null, stop: { status: 'COMPLETED', recipientName: 'R. Ecipient' } });
    await statusBecomes(ids[1]!, 'FAILED');
    // A failed delivery goes back to the pool, to be planned again.
    expect(await pooled()).toContain(ids[1]);
    for (const s of route.stops.filter((s) => !ids.includes(s.order.id))) {
      ok(await g.gql(COMPLETE, { id: s.id, proof: { recipientName: 'Neighbour' } }, driver));
    }
    expect(ok(await g.gql(ROUTE, { id: route.id }, driver)).route.status).toBe('COMPLETED');
  });

  it('given an order cancelled before planning, then it leaves the pool and is not planned', async () => {
    const { depotId } = await fleet();
    const id = await createOrder();
    await inPool([id]);
    ok(await g.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id }, dispatcher));
    await eventually('the cancelled order to leave the pool', async () => !(await pooled()).includes(id));
    const result = await plan(depotId, '2031-01-04');
    expect(result.routes.flatMap((r) => r.stops.map((s) => s.order.id))).not.toContain(id);
    expect(result.unserved.map((u) => u.order.id)).not.toContain(id);
    expect(await order(id)).toMatchObject({ status: 'CANCELLED', route: null, eta: null });
  });

  it('given an order cancelled on a route not yet started, then the route closes up without it and is re-timed', async () => {
    const { depotId } = await fleet();
    const ids = [await createOrder(), await createOrder({ dropoff: { line1: 'Markt 1', city: 'Brandenburg', postalCode: '14776', country: 'DE', lat: 52.4125, lon: 12.5316 } })];
    await inPool(ids);
    const before = (await plan(depotId, '2031-01-05')).routes.find((r) => r.stops.some((s) => s.order.id === ids[1]))!;
    await statusBecomes(ids[1]!, 'PLANNED');
    ok(await g.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: ids[1] }, dispatcher));
    const after = await eventually('the route without the cancelled order', async () => {
      const r = ok(await g.gql(ROUTE, { id: before.id }, dispatcher)).route;
      return r.stops.some((s: { order: { id: string } }) => s.order.id === ids[1]) ? undefined : r;
    });
    expect(after.stops.map((s: { sequence: number }) => s.sequence)).toEqual(after.stops.map((_: unknown, i: number) => i));
    expect(after.stops).toHaveLength(before.stops.length - 1);
    expect(after.distanceKm).toBeLessThan(before.distanceKm);
    expect(await order(ids[1]!)).toMatchObject({ status: 'CANCELLED', route: null });
  });

  it('given an order heavier than any vehicle, then planDay reports it unserved with the reason', async () => {
    const { depotId } = await fleet({ capacityKg: 10 });
    const id = await createOrder({ parcels: [{ weightKg: 50 }] });
    await inPool([id]);
    const result = await plan(depotId, '2031-01-06');
    expect(result.unserved).toContainEqual(expect.objectContaining({ order: { id }, reason: 'DEMAND_EXCEEDS_CAPACITY' }));
    expect((await order(id))?.status).toBe('CREATED');
  });

  it("given another tenant, then it sees none of this tenant's depots, vehicles, routes or pool, and cannot act on them", async () => {
    const { depotId } = await fleet();
    const id = await createOrder();
    await inPool([id]);
    const route = (await plan(depotId, '2031-01-07')).routes[0]!;
    const seen = ok(await g.gql('query { depots { id } vehicles { id } routes { edges { node { id } } } planningPool { edges { node { order { id } } } } }', {}, stranger));
    expect(seen).toEqual({ depots: [], vehicles: [], routes: { edges: [] }, planningPool: { edges: [] } });
    expect(ok(await g.gql(ROUTE, { id: route.id }, stranger)).route).toBeNull();
    expect(codeOf(await g.gql(PLAN, { depotId, date: '2031-01-08' }, stranger))).toBe('NOT_FOUND');
    expect(codeOf(await g.gql(START, { id: route.id }, stranger))).toBe('NOT_FOUND');
    expect(codeOf(await g.gql(FAIL, { id: route.stops[0]!.id, reason: 'x' }, stranger))).toBe('NOT_FOUND');
    expect(codeOf(await g.gql(ASSIGN, { route: route.id, driver: DRIVER_ID }, stranger))).toBe('NOT_FOUND');
    // A driver of this tenant is no driver of another one.
    const theirs = ok(await g.gql(CREATE_DEPOT, { input: { name: 'Globex hub', line1: 'x', city: 'y', postalCode: '1', country: 'DE', lat: 1, lon: 1 } }, stranger)).createDepot;
    expect(theirs.id).toBeTruthy();
  });

  it("given two depots planned on the same day, then routes by depot and day list only that depot's routes, a page at a time by keyset cursor", async () => {
    const day = '2031-01-09';
    const a = await fleet({ capacityKg: 10 });
    ok(await g.gql(CREATE_VEHICLE, { input: { name: 'Van A2', plate: `B-VT-A2-${seq}`, capacityKg: 10, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: a.depotId } }, dispatcher));
    // Two orders no single van of depot A carries together: its day has two routes to page through.
    const heavyPair = [await createOrder({ parcels: [{ weightKg: 8 }] }), await createOrder({ parcels: [{ weightKg: 8 }] })];
    await inPool(heavyPair);
    const aRoutes = (await plan(a.depotId, day)).routes.map((r) => r.id).sort();
    expect(aRoutes.length).toBeGreaterThanOrEqual(2);
    const b = await fleet();
    const light = await createOrder();
    await inPool([light]);
    const bRoutes = (await plan(b.depotId, day)).routes.map((r) => r.id);
    expect(bRoutes.length).toBeGreaterThan(0);

    const BY_DEPOT = 'query($d: ID, $day: String, $after: String) { routes(depotId: $d, date: $day, first: 1, after: $after) { totalCount edges { node { id date depot { id } } } pageInfo { hasNextPage endCursor } } }';
    const walk = async (depotId: string) => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: any = ok(await g.gql(BY_DEPOT, { d: depotId, day, after }, dispatcher)).routes;
        expect(page.edges.length).toBeLessThanOrEqual(1);
        for (const e of page.edges) {
          expect(e.node).toMatchObject({ date: day, depot: { id: depotId } });
          seen.push(e.node.id);
        }
        expect(page.totalCount).toBe(depotId === a.depotId ? aRoutes.length : bRoutes.length);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return seen;
    };
    const walkedA = await walk(a.depotId);
    expect(new Set(walkedA).size).toBe(walkedA.length);
    expect([...walkedA].sort()).toEqual(aRoutes);
    expect((await walk(b.depotId)).sort()).toEqual([...bRoutes].sort());
    // The day alone still lists both depots' routes.
    const wholeDay = ok(await g.gql('query($day: String) { routes(date: $day, first: 100) { edges { node { id } } } }', { day }, dispatcher)).routes.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(wholeDay).toEqual(expect.arrayContaining([...aRoutes, ...bRoutes]));
    const bad = await g.gql(BY_DEPOT, { d: 'not-a-depot', day }, dispatcher);
    expect([codeOf(bad), fieldOf(bad)]).toEqual(['BAD_USER_INPUT', 'depotId']);
    // Another tenant naming the depot finds nothing.
    expect(ok(await g.gql(BY_DEPOT, { d: a.depotId, day }, stranger)).routes.edges).toEqual([]);
  });

  it('given bad input, then BAD_USER_INPUT, NOT_FOUND or FORBIDDEN names what is wrong', async () => {
    const { depotId } = await fleet();
    const vehicle = { name: 'V', plate: 'BAD-1', capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '1', homeDepotId: depotId };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ capacityKg: -5 }, 'BAD_USER_INPUT', 'input.capacityKg'],
      [{ shiftStart: '18:00', shiftEnd: '08:00' }, 'BAD_USER_INPUT', 'input.shiftEnd'],
      [{ shiftStart: '8am' }, 'BAD_USER_INPUT', 'input.shiftStart'],
      [{ costPerKm: '-1' }, 'BAD_USER_INPUT', 'input.costPerKm'],
      [{ homeDepotId: crypto.randomUUID() }, 'NOT_FOUND', 'input.homeDepotId'],
    ];
    for (const [override, code, field] of cases) {
      const res = await g.gql(CREATE_VEHICLE, { input: { ...vehicle, ...override } }, dispatcher);
      expect([codeOf(res), fieldOf(res)], JSON.stringify(override)).toEqual([code, field]);
    }
    const badDepot = await g.gql(CREATE_DEPOT, { input: { name: 'Nowhere', line1: 'x', city: 'y', postalCode: '1', country: 'DE', lat: 91, lon: 0 } }, dispatcher);
    expect([codeOf(badDepot), fieldOf(badDepot)]).toEqual(['BAD_USER_INPUT', 'input.lat']);
    const badDate = await g.gql(PLAN, { depotId, date: '2031-13-01' }, dispatcher);
    expect([codeOf(badDate), fieldOf(badDate)]).toEqual(['BAD_USER_INPUT', 'date']);
    const past = await g.gql(PLAN, { depotId, date: '2020-01-01' }, dispatcher);
    expect([codeOf(past), fieldOf(past)]).toEqual(['BAD_USER_INPUT', 'date']);
    expect(codeOf(await g.gql(PLAN, { depotId: crypto.randomUUID(), date: '2031-01-02' }, dispatcher))).toBe('NOT_FOUND');
    expect(codeOf(await g.gql(CREATE_DEPOT, { input: { name: 'Mine', line1: 'x', city: 'y', postalCode: '1', country: 'DE', lat: 1, lon: 1 } }, customer))).toBe('FORBIDDEN');
    expect(codeOf(await g.gql('query { depots { id } }'))).toBe('UNAUTHENTICATED');
    const dup = await g.gql(CREATE_VEHICLE, { input: { ...vehicle, plate: 'DUP-1' } }, dispatcher);
    expect(dup.errors).toBeUndefined();
    const again = await g.gql(CREATE_VEHICLE, { input: { ...vehicle, plate: 'DUP-1' } }, dispatcher);
    expect([codeOf(again), fieldOf(again)]).toEqual(['CONFLICT', 'input.plate']);
  });
});
