import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, orderCreatedEvent, orderInput, startTestGraph, type TestGraph } from '../../gateway/testing/harness.ts';
import { eventually } from '../platform/events/testing/test-support.ts';
import { DEMO, OTHER_TENANT } from '../iam/seed.ts';
import { OrderCancelled, OrderCreated } from '../orders/events/contracts.ts';

const ENTITIES = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Depot { id name }
    ... on Vehicle { id plate }
    ... on Route { id status }
    ... on Order { id eta route { id } }
  }
}`;
const POOL = 'query { planningPool(first: 100) { edges { node { order { id } weightKg } } } }';

describe.each(await availableBackends())('the planning subgraph on %s', (backend) => {
  let g: TestGraph;
  let planningUrl: string;
  let dispatcher: string;
  let stranger: string;
  let depotId: string;
  let vehicleId: string;
  let routeId: string;
  let orderId: string;
  const pool = async () => ((await g.gql(POOL, {}, dispatcher, planningUrl)).data!.planningPool.edges as Array<{ node: { order: { id: string } } }>).map((e) => e.node.order.id);

  beforeAll(async () => {
    g = await startTestGraph(backend);
    planningUrl = g.graph.subgraphs.find((s) => s.name === 'planning')!.url;
    [dispatcher, stranger] = await Promise.all([g.login('dispatcher@demo.test'), g.login('dispatcher@globex.test')]);
    const depot = { name: 'Hub', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 };
    depotId = (await g.gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }', { input: depot }, dispatcher)).data!.createDepot.id;
    const vehicle = { name: 'Van', plate: 'B-1', capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '1', homeDepotId: depotId };
    vehicleId = (await g.gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }', { input: vehicle }, dispatcher)).data!.createVehicle.id;
    orderId = (await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher)).data!.createOrder.id;
    await eventually('the order in the pool', async () => (await pool()).includes(orderId));
    const plan = await g.gql('mutation($d: ID!) { planDay(depotId: $d, date: "2031-01-02", timeLimitSeconds: 0.1) { routes { id } } }', { d: depotId }, dispatcher);
    routeId = plan.data!.planDay.routes[0].id;
  });
  afterAll(() => g?.close());

  it('resolves its own tenant’s entities by key for the gateway, and extends Order with route and eta', async () => {
    const reps = [
      { __typename: 'Depot', id: depotId },
      { __typename: 'Vehicle', id: vehicleId },
      { __typename: 'Route', id: routeId },
      { __typename: 'Order', id: orderId },
    ];
    const res = await g.gql(ENTITIES, { reps }, dispatcher, planningUrl);
    expect(res.data?._entities).toEqual([
      { id: depotId, name: 'Hub' },
      { id: vehicleId, plate: 'B-1' },
      { id: routeId, status: 'PLANNED' },
      { id: orderId, eta: expect.stringMatching(/^2031-01-02T/), route: { id: routeId } },
    ]);
  });

  it('resolves another tenant’s, a malformed or an unknown key to null, and nothing without a token', async () => {
    const reps = [
      { __typename: 'Depot', id: depotId },
      { __typename: 'Vehicle', id: vehicleId },
      { __typename: 'Route', id: routeId },
      { __typename: 'Route', id: 'garbage' },
      { __typename: 'Route', id: '01900000-0000-7000-8000-00000000dead' },
    ];
    expect((await g.gql(ENTITIES, { reps }, stranger, planningUrl)).data?._entities).toEqual([null, null, null, null, null]);
    // Order is orders' entity: planning adds fields, and for a stranger they are empty.
    const order = await g.gql(ENTITIES, { reps: [{ __typename: 'Order', id: orderId }] }, stranger, planningUrl);
    expect(order.data?._entities).toEqual([{ id: orderId, eta: null, route: null }]);
    expect((await g.gql(ENTITIES, { reps: reps.slice(0, 1) }, undefined, planningUrl)).data?._entities).toEqual([null]);
  });

  it('given OrderCreated delivered twice, then the pool holds the order once', async () => {
    const id = crypto.randomUUID();
    const event = orderCreatedEvent(id, DEMO.organization.id, DEMO.users[1].id);
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: event }, { envelope: event }]);
    await eventually('the consumer to catch up', async () => (await g.graph.transport.lag('planning', [OrderCreated.topic])) === 0);
    expect((await pool()).filter((o) => o === id)).toHaveLength(1);

    // Another tenant cannot cancel it out of this tenant's pool.
    const foreign = OrderCancelled.create(
      { orderId: id, previousStatus: 'CREATED', reason: null, cancelledAt: new Date().toISOString() },
      { subject: id, orgId: OTHER_TENANT.organization.id },
    );
    await g.graph.transport.publish(OrderCancelled.topic, [{ envelope: foreign }]);
    await eventually('the consumer to catch up', async () => (await g.graph.transport.lag('planning', [OrderCreated.topic])) === 0);
    expect(await pool()).toContain(id);
  });

  it('is ready only with its database answering and its migrations applied', async () => {
    const res = await fetch(new URL('/health/ready', planningUrl));
    expect(res.status).toBe(200);
    const migrations = readdirSync('prisma/planning/migrations', { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    expect(await res.json()).toEqual({ status: 'ready', migrations });
  });
});
