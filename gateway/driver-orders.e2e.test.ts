/**
 * A driver's day and a dispatcher's search for a driver (issue 20, points 3 and 4): the dispatcher
 * finds the organization's drivers, assigns one, and that driver, and no other, reads the orders
 * on their route with the addresses to drive to. Orders learns the route's driver from planning's
 * events only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { orderInput, type TestGraph } from './testing/harness.ts';
import { liveSetups, startLiveGraph } from './testing/live-graphs.ts';
import { codesAt, join, keepsPromise, ok } from './testing/visibility.ts';

const DRIVER_ID = DEMO.users.find((u) => u.email === 'driver@demo.test')!.id;
const DRIVERS = `query($first: Int, $after: String) {
  drivers(first: $first, after: $after) { edges { cursor node { id name active } } pageInfo { hasNextPage endCursor } }
}`;
const CREATE = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const PLAN = `mutation($depotId: ID!, $date: String!) {
  planDay(depotId: $depotId, date: $date, timeLimitSeconds: 0.2) { routes { id stops { id order { id } } } }
}`;
const ASSIGN = 'mutation($route: ID!, $driver: ID!) { assignDriver(routeId: $route, driverId: $driver) { id driver { id name } } }';
const ORDER = 'query($id: ID!) { order(id: $id) { id status reference dropoff { line1 city postalCode lat lon } deliveryWindow { start end } parcels { weightKg } } }';
const ORDERS = '{ orders(first: 100) { edges { node { id status dropoff { line1 } } } } }';
const ROUTES = '{ routes(first: 5) { edges { node { id stops { order { status dropoff { line1 } } } } } } }';
const ROUTE = 'query($id: ID!) { route(id: $id) { id vehicle { name plate } depot { name } stops { sequence order { id status dropoff { line1 city } } } } }';

describe.each(await liveSetups())('a driver reads the orders of their route, $name', (setup) => {
  let g: TestGraph;
  let admin: string, dispatcher: string, customer: string, driver: string;
  let driver2: { id: string; token: string };
  let customer2: { id: string; token: string };
  const gql = async (query: string, variables: Record<string, unknown>, token: string) => keepsPromise(await g.gql(query, variables, token));

  beforeAll(async () => {
    g = await startLiveGraph(setup);
    [admin, dispatcher, customer, driver] = await Promise.all([g.login('admin@demo.test'), g.login('dispatcher@demo.test'), g.login('customer@demo.test'), g.login('driver@demo.test')]);
    driver2 = await join(g, admin, 'second.driver@demo.test', ['DRIVER'], 'Sam Second');
    customer2 = await join(g, admin, 'second.customer@demo.test', ['CUSTOMER'], 'Cat Second');
  });
  afterAll(() => g?.close());

  /** Every active driver, a page at a time. */
  async function allDrivers(token: string) {
    const seen: Array<{ id: string; name: string; active: boolean }> = [];
    let after: string | null = null;
    for (;;) {
      const page: any = ok(await gql(DRIVERS, { first: 1, after }, token)).drivers;
      seen.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) return seen;
      after = page.pageInfo.endCursor;
    }
  }

  it('given a dispatcher, then drivers lists the active drivers page by page, with their name; others may not list them', async () => {
    const drivers = await allDrivers(dispatcher);
    expect(drivers).toEqual(expect.arrayContaining([{ id: DRIVER_ID, name: 'Dee Driver', active: true }, { id: driver2.id, name: 'Sam Second', active: true }]));
    expect(drivers).toHaveLength(2);
    // Only what a dispatcher needs: a driver's roles stay with admins and auditors.
    const roles = await gql('{ drivers(first: 5) { edges { node { id roles } } } }', {}, dispatcher);
    expect(codesAt(roles, ['drivers'])).toContain('FORBIDDEN');
    for (const token of [customer, driver]) expect(codesAt(await gql(DRIVERS, { first: 5 }, token), ['drivers'])).toEqual(['FORBIDDEN']);
  });

  it('given a route assigned to a driver found by the dispatcher, then that driver reads its orders and addresses; another driver or customer does not; a reassignment moves them', async () => {
    const depot = ok(
      await gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }', { input: { name: 'Driver hub', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } }, dispatcher),
    ).createDepot.id;
    ok(await gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }', { input: { name: 'Driver van', plate: 'B-DR-1', capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depot } }, dispatcher));
    const id = ok(await gql(CREATE, { input: orderInput({ reference: 'DRV-1', dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 } }) }, customer)).createOrder.id;
    await eventually('the order in the planning pool', async () =>
      ok(await gql('{ planningPool(first: 100) { edges { node { order { id } } } } }', {}, dispatcher)).planningPool.edges.some((e: any) => e.node.order.id === id),
    );
    const route = ok(await gql(PLAN, { depotId: depot, date: '2031-03-10' }, dispatcher)).planDay.routes.find((r: any) => r.stops.some((s: any) => s.order.id === id));

    // Before any assignment the driver sees nothing of it.
    expect(ok(await gql(ORDER, { id }, driver)).order).toBeNull();

    const found = (await allDrivers(dispatcher)).find((d) => d.name === 'Dee Driver')!;
    const assigned = await eventually('planning to know the driver', async () => {
      const res = await g.gql(ASSIGN, { route: route.id, driver: found.id }, dispatcher);
      return res.errors ? undefined : res.data!.assignDriver;
    });
    expect(assigned.driver).toEqual({ id: DRIVER_ID, name: 'Dee Driver' });

    const seen = await eventually('the driver to read the order', async () => (await gql(ORDER, { id }, driver)).data?.order ?? undefined);
    expect(seen).toMatchObject({ id, status: 'PLANNED', reference: 'DRV-1', dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467' }, parcels: [{ weightKg: 2.5 }] });
    expect(ok(await gql(ORDERS, {}, driver)).orders.edges.map((e: any) => e.node.id)).toContain(id);

    // The driver app's route view: data, not data:null.
    const routes = await gql(ROUTES, {}, driver);
    expect(routes.errors, JSON.stringify(routes.errors)).toBeUndefined();
    const mine = routes.data!.routes.edges.find((e: any) => e.node.id === route.id).node;
    expect(mine.stops).toContainEqual({ order: { status: 'PLANNED', dropoff: { line1: 'Am Kanal 2' } } });
    const one = ok(await gql(ROUTE, { id: route.id }, driver)).route;
    expect(one).toMatchObject({ vehicle: { name: 'Driver van', plate: 'B-DR-1' }, depot: { name: 'Driver hub' } });
    expect(one.stops.map((s: any) => s.order.id)).toContain(id);
    // What the driver needs, not the fleet's cost.
    expect(codesAt(await gql('query($id: ID!) { route(id: $id) { id cost } }', { id: route.id }, driver), ['route', 'cost'])).toEqual(['FORBIDDEN']);
    expect(codesAt(await gql('query($id: ID!) { route(id: $id) { vehicle { costPerKm } } }', { id: route.id }, driver), ['route'])).toContain('FORBIDDEN');

    // Another driver and another customer of the tenant see none of it.
    expect(ok(await gql(ORDER, { id }, driver2.token)).order).toBeNull();
    expect(ok(await gql(ORDERS, {}, driver2.token)).orders.edges.map((e: any) => e.node.id)).not.toContain(id);
    expect(ok(await gql(ROUTE, { id: route.id }, driver2.token)).route).toBeNull();
    expect(ok(await gql(ORDER, { id }, customer2.token)).order).toBeNull();

    // Reassigned: the order follows the route to the new driver and leaves the old one.
    ok(await gql(ASSIGN, { route: route.id, driver: driver2.id }, dispatcher));
    await eventually('the new driver to read the order', async () => (await gql(ORDER, { id }, driver2.token)).data?.order ?? undefined);
    expect(ok(await gql(ORDER, { id }, driver)).order).toBeNull();
    expect(ok(await gql(ROUTE, { id: route.id }, driver2.token)).route.stops.map((s: any) => s.order.status)).toContain('PLANNED');
  });
});
