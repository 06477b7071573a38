import { expect } from 'vitest';
import { DEMO } from '../../subgraphs/iam/seed.ts';
import { eventually } from '../../subgraphs/platform/events/testing/test-support.ts';
import type { GqlResponse, TestGraph } from './harness.ts';

const DRIVER_ID = DEMO.users.find((u) => u.email === 'driver@demo.test')!.id;

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};

export interface PlannedRoute {
  id: string;
  distanceKm: number;
  stops: Array<{ id: string; order: { id: string } }>;
}

let seq = 0;

/** Plans the order's day on a depot and van of its own (a date per call, so plans never meet); the route it is on. */
export async function planOrder(g: TestGraph, dispatcher: string, orderId: string): Promise<PlannedRoute> {
  seq++;
  const depot = { name: `Test hub ${seq}`, line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 };
  const depotId = ok(await g.gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }', { input: depot }, dispatcher)).createDepot.id;
  const vehicle = { name: `Test van ${seq}`, plate: `B-TST-${seq}`, capacityKg: 800, shiftStart: '06:00', shiftEnd: '22:00', costPerKm: '0.85', homeDepotId: depotId };
  ok(await g.gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }', { input: vehicle }, dispatcher));
  await eventually('the order in the planning pool', async () => {
    const pool = ok(await g.gql('query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, dispatcher)).planningPool.edges;
    return pool.some((e: { node: { order: { id: string } } }) => e.node.order.id === orderId);
  });
  const date = `2031-03-${String(((seq - 1) % 28) + 1).padStart(2, '0')}`;
  const plan = ok(
    await g.gql('mutation($d: ID!, $date: String!) { planDay(depotId: $d, date: $date, timeLimitSeconds: 0.1) { routes { id distanceKm stops { id order { id } } } } }', { d: depotId, date }, dispatcher),
  );
  return plan.planDay.routes.find((r: PlannedRoute) => r.stops.some((s) => s.order.id === orderId));
}

/** The demo driver takes the route, starts it and completes the order's stop. */
export async function completeOrderStop(g: TestGraph, tokens: { dispatcher: string; driver: string }, route: PlannedRoute, orderId: string): Promise<void> {
  await eventually('planning to know the demo driver', async () => !(await g.gql('mutation($r: ID!, $d: ID!) { assignDriver(routeId: $r, driverId: $d) { id } }', { r: route.id, d: DRIVER_ID }, tokens.dispatcher)).errors);
  ok(await g.gql('mutation($id: ID!) { startRoute(routeId: $id) { id } }', { id: route.id }, tokens.driver));
  const stop = route.stops.find((s) => s.order.id === orderId)!;
  ok(await g.gql('mutation($id: ID!) { completeStop(stopId: $id, proof: { recipientName: "R. Ecipient" }) { id } }', { id: stop.id }, tokens.driver));
}

/** A real delivery: plan the order's day, and the driver starts the route and completes its stop. */
export async function deliverThroughPlanning(g: TestGraph, tokens: { dispatcher: string; driver: string }, orderId: string): Promise<PlannedRoute> {
  const route = await planOrder(g, tokens.dispatcher, orderId);
  await completeOrderStop(g, tokens, route, orderId);
  return route;
}
