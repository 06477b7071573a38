/**
 * Proof of delivery for the customer's tracking page: `Order.proofOfDelivery` (planning) tells
 * the order's own customer, staff and the route's driver who took the parcels and when, after
 * the driver completes the stop; another customer of the tenant gets FORBIDDEN and another
 * tenant nothing, through the gateway and through `_entities` straight at planning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';
import { codesAt, join, keepsPromise, ok, subgraphUrl } from './testing/visibility.ts';

const PROOF = 'query($id: ID!) { order(id: $id) { id status proofOfDelivery { deliveredAt recipientName signatureCaptured photoCaptured } } }';
const ENTITY_PROOF = 'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { proofOfDelivery { recipientName deliveredAt } } } }';

describe('proof of delivery, by who may read it', () => {
  let g: TestGraph;
  const t: Record<string, string> = {};
  let otherCustomer: { id: string; token: string };
  let orderId: string;
  let completedAt: string;
  const gql = async (query: string, variables: Record<string, unknown>, token: string, url?: string) => keepsPromise(await g.gql(query, variables, token, url));

  beforeAll(async () => {
    g = await startTestGraph('pglite');
    for (const role of ['admin', 'dispatcher', 'customer', 'driver', 'finance']) t[role] = await g.login(`${role}@demo.test`);
    t.stranger = await g.login('customer@globex.test');
    otherCustomer = await join(g, t.admin!, 'proof.other@demo.test', ['CUSTOMER'], 'Otto Other');
  }, 120_000);
  afterAll(() => g?.close(), 60_000);

  it('given a planned order, then nobody reads a proof before the driver completes its stop', async () => {
    const depot = ok(
      await gql('mutation($i: CreateDepotInput!) { createDepot(input: $i) { id } }', { i: { name: 'Proof hub', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } }, t.dispatcher!),
    ).createDepot.id;
    ok(await gql('mutation($i: CreateVehicleInput!) { createVehicle(input: $i) { id } }', { i: { name: 'Proof van', plate: 'B-PD-1', capacityKg: 500, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depot } }, t.dispatcher!));
    orderId = ok(await gql('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: orderInput() }, t.customer!)).createOrder.id;
    await eventually('the order in the planning pool', async () =>
      ok(await gql('{ planningPool(first: 100) { edges { node { order { id } } } } }', {}, t.dispatcher!)).planningPool.edges.some((e: any) => e.node.order.id === orderId),
    );
    const plan = ok(await gql('mutation($d: ID!) { planDay(depotId: $d, date: "2031-05-06", timeLimitSeconds: 0.2) { routes { id stops { id order { id } } } } }', { d: depot }, t.dispatcher!)).planDay;
    const route = plan.routes.find((r: any) => r.stops.some((s: any) => s.order.id === orderId));
    const dee = ok(await gql('{ drivers(first: 20) { edges { node { id name } } } }', {}, t.dispatcher!)).drivers.edges.find((e: any) => e.node.name === 'Dee Driver').node.id;
    await eventually('planning to know the driver', async () => !(await gql('mutation($r: ID!, $u: ID!) { assignDriver(routeId: $r, driverId: $u) { id } }', { r: route.id, u: dee }, t.dispatcher!)).errors);
    ok(await gql('mutation($r: ID!) { startRoute(routeId: $r) { id } }', { r: route.id }, t.driver!));

    expect(ok(await gql(PROOF, { id: orderId }, t.customer!)).order.proofOfDelivery).toBeNull();

    const stopId = route.stops.find((s: any) => s.order.id === orderId).id;
    completedAt = ok(
      await gql('mutation($s: ID!) { completeStop(stopId: $s, proof: { recipientName: "Cora at the door", signatureRef: "sig/proof-1" }) { completedAt } }', { s: stopId }, t.driver!),
    ).completeStop.completedAt;
  }, 120_000);

  it('given the delivered order, then its customer, the driver, dispatchers and finance read the proof: who, when, a signature but no photo', async () => {
    const expected = { deliveredAt: completedAt, recipientName: 'Cora at the door', signatureCaptured: true, photoCaptured: false };
    for (const who of ['customer', 'driver', 'dispatcher', 'finance']) expect(ok(await gql(PROOF, { id: orderId }, t[who]!)).order.proofOfDelivery, who).toEqual(expected);
    // The same through planning's `_entities`, as the gateway asks it.
    const straight = await gql(ENTITY_PROOF, { reps: [{ __typename: 'Order', id: orderId }] }, t.customer!, subgraphUrl(g, 'planning'));
    expect(ok(straight)._entities).toEqual([{ proofOfDelivery: { recipientName: 'Cora at the door', deliveredAt: completedAt } }]);
  });

  it('given the delivered order, then another customer of the tenant gets FORBIDDEN and another tenant nothing, on every path', async () => {
    const reps = { reps: [{ __typename: 'Order', id: orderId }] };
    const planning = subgraphUrl(g, 'planning');
    const sameTenant = await gql(ENTITY_PROOF, reps, otherCustomer.token, planning);
    expect(sameTenant.data?._entities).toEqual([{ proofOfDelivery: null }]);
    expect(codesAt(sameTenant, ['_entities', 0, 'proofOfDelivery'])).toEqual(['FORBIDDEN']);
    // Another tenant's planning holds no stop of the order: null, saying nothing of it.
    const otherTenant = await gql(ENTITY_PROOF, reps, t.stranger!, planning);
    expect(otherTenant.data?._entities).toEqual([{ proofOfDelivery: null }]);
    // Through the gateway neither gets the order at all.
    for (const token of [otherCustomer.token, t.stranger!]) {
      const res = await gql(PROOF, { id: orderId }, token);
      expect(res.data?.order ?? null).toBeNull();
      expect(JSON.stringify(res)).not.toContain('Cora at the door');
    }
  });
});
