import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../subgraphs/platform/config.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { startTracing, type Tracing } from '../subgraphs/platform/telemetry/tracing.ts';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';
import { tracedQuery } from './testing/traced.ts';

const ORDERS = `query($first: Int!) {
  orders(first: $first) { edges { node { id route { id vehicle { id } } eta stop { id sequence } } } }
}`;
const DATE = '2031-03-04';
const ORDER_COUNT = 8;

/**
 * Order.route / eta / stop for a list of orders: the gateway asks planning once for all of them
 * (`_entities`), and planning must answer with a fixed number of queries, not one per order. The
 * proof counts Prisma's own operation spans (the kernel's tracing instruments Prisma) for
 * planning's Stop and Route models inside one request's trace.
 */
describe.each(await availableBackends())('batched order lookups in planning on %s', (backend) => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let g: TestGraph;
  let dispatcher: string;
  let orderIds: string[];

  beforeAll(async () => {
    tracing = startTracing(loadConfig({ NODE_ENV: 'test' }), { serviceName: 'voidtracker-test', exporters: [exporter] });
    g = await startTestGraph(backend);
    dispatcher = await g.login('dispatcher@demo.test');
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const res = await g.gql(query, variables, dispatcher);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!;
    };
    const hub = { name: 'Batch hub', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 };
    const depotId = (await gql('mutation($i: CreateDepotInput!) { createDepot(input: $i) { id } }', { i: hub })).createDepot.id;
    const van = { name: 'Van', plate: 'BATCH-1', capacityKg: 500, shiftStart: '06:00', shiftEnd: '22:00', costPerKm: '1', homeDepotId: depotId };
    await gql('mutation($i: CreateVehicleInput!) { createVehicle(input: $i) { id } }', { i: van });
    orderIds = [];
    for (let i = 0; i < ORDER_COUNT; i++) {
      const input = orderInput({ deliveryWindow: { start: `${DATE}T06:00:00Z`, end: `${DATE}T20:00:00Z` }, dropoff: { line1: `Weg ${i}`, city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.39 + i / 100, lon: 13.06 } });
      orderIds.push((await gql('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: input })).createOrder.id);
    }
    await eventually('the orders in the pool', async () => {
      const pool = await gql('query { planningPool(first: 100) { edges { node { order { id } } } } }', {});
      const ids = pool.planningPool.edges.map((e: { node: { order: { id: string } } }) => e.node.order.id);
      return orderIds.every((id) => ids.includes(id));
    });
    await gql('mutation($d: ID!) { planDay(depotId: $d, date: "2031-03-04", timeLimitSeconds: 0.2) { routes { id } } }', { d: depotId });
    await eventually('the orders planned', async () => {
      const res = await gql(ORDERS, { first: 50 });
      return res.orders.edges.filter((e: { node: { route: unknown } }) => e.node.route).length >= ORDER_COUNT;
    });
  });
  afterAll(async () => {
    await g?.close();
    await tracing?.shutdown();
  });

  /** Runs the list query in a trace of its own; returns the answer and planning's Stop/Route operations in it. */
  const traced = async (first: number) => {
    type Body = { orders: { edges: Array<{ node: { id: string; route: { id: string } | null; eta: string | null; stop: { id: string } | null } }> } };
    const { body, operations } = await tracedQuery<Body>({ url: g.url, token: dispatcher, query: ORDERS, variables: { first }, exporter, component: 'planning', models: ['Stop', 'Route'] });
    return { nodes: body.data.orders.edges.map((e) => e.node), operations };
  };

  it('given a list of planned orders, then route, eta and stop of all of them cost a fixed handful of queries, however long the list', async () => {
    const few = await traced(2);
    const many = await traced(ORDER_COUNT);
    const planned = many.nodes.filter((n) => orderIds.includes(n.id));
    expect(planned).toHaveLength(ORDER_COUNT);
    for (const n of planned) {
      expect(n.route?.id).toBeTruthy();
      expect(n.eta).toMatch(/^2031-03-04T/);
      expect(n.stop?.id).toBeTruthy();
    }
    // One query for the orders' current stops, one for their routes, one for the stops themselves.
    expect(many.operations.sort()).toEqual(['Route.findMany', 'Stop.findMany', 'Stop.findMany']);
    expect(few.operations.length).toBe(many.operations.length);
  });
});
