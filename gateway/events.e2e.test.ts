import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import type { EventEnvelope } from '../subgraphs/platform/events/envelope.ts';
import { deadLetterTopic } from '../subgraphs/platform/events/transport.ts';
import { OrganizationCreated } from '../subgraphs/iam/events/contracts.ts';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';
import { OrderCancelled, OrderCreated, OrderStatusChanged } from '../subgraphs/orders/events/contracts.ts';
import { RoutePlanned, RouteStarted, StopCompleted } from '../subgraphs/planning/events/contracts.ts';
import { availableTransports, orderInput, startTestGraphOn, type TestGraph } from './testing/harness.ts';

const TRANSPORTS = await availableTransports('event');

const ORDERS_TOPIC = OrderCreated.topic;
const PLANNING_TOPIC = RoutePlanned.topic;
const uuid = () => crypto.randomUUID();
const ORDER = 'query($id: ID!) { order(id: $id) { status history { from to reason } } }';

describe.each(TRANSPORTS)('events between domains on the %s transport', (kind) => {
  let g: TestGraph;
  let token: string;
  const createOrder = async () =>
    (await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, token)).data!.createOrder.id as string;
  const statusOf = async (id: string) => (await g.gql(ORDER, { id }, token)).data!.order as { status: string; history: Array<{ from: string | null; to: string; reason: string | null }> };
  const eventsOf = async (topic: string, subject: string): Promise<EventEnvelope[]> => {
    const { fromWireMessage } = await import('../subgraphs/platform/events/envelope.ts');
    return (await g.graph.transport.read(topic)).map((r) => fromWireMessage(r)).filter((e) => e.subject === subject);
  };
  const planned = (orderId: string, orgId: string = DEMO.organization.id) => {
    const routeId = uuid();
    return RoutePlanned.create(
      {
        routeId,
        vehicleId: uuid(),
        date: '2031-01-02',
        distanceKm: 21.4,
        stops: [{ stopId: uuid(), orderId, sequence: 0, plannedArrival: '2031-01-02T09:00:00Z' }],
        removedOrderIds: [],
      },
      { subject: routeId, orgId },
    );
  };
  const publish = (envelope: EventEnvelope) => g.graph.transport.publish(PLANNING_TOPIC, [{ envelope }]);
  const drained = () => eventually('the orders consumer to catch up', async () => (await g.graph.transport.lag('orders', [PLANNING_TOPIC])) === 0);

  beforeAll(async () => {
    g = await startTestGraphOn(kind, { EVENT_MAX_ATTEMPTS: '2' });
    expect(g.graph.transport.kind).toBe(kind);
    token = await g.login('dispatcher@demo.test');
  });
  afterAll(() => g?.close());

  it('given the seeded tenants, then iam announced them on its topic', async () => {
    const events = await eventually('OrganizationCreated', async () => {
      const found = await eventsOf(OrganizationCreated.topic, DEMO.organization.id);
      return found.length ? found : undefined;
    });
    expect(OrganizationCreated.parse(events[0]!).data).toEqual({ organizationId: DEMO.organization.id, name: 'Demo Logistics', slug: 'demo' });
  });

  it('given an order placed and cancelled, then its events leave in order, valid, with its tenant', async () => {
    const id = await createOrder();
    await g.gql('mutation($id: ID!) { cancelOrder(id: $id, reason: "changed plans") { status } }', { id }, token);
    const events = await eventually('three order events', async () => {
      const found = await eventsOf(ORDERS_TOPIC, id);
      return found.length >= 3 ? found : undefined;
    });
    expect(events.map((e) => e.type)).toEqual([OrderCreated.type, OrderCancelled.type, OrderStatusChanged.type]);
    expect(events.every((e) => e.orgid === DEMO.organization.id)).toBe(true);
    expect(OrderCreated.parse(events[0]!).data).toMatchObject({ orderId: id, weightKg: '2.500', parcels: [{ weightKg: '2.500', lengthCm: '40.0' }] });
    expect(OrderCancelled.parse(events[1]!).data).toMatchObject({ previousStatus: 'CREATED', reason: 'changed plans' });
    expect(OrderStatusChanged.parse(events[2]!).data).toMatchObject({ from: 'CREATED', to: 'CANCELLED', causationId: null });
  });

  it("given planning's events, then the order moves to DELIVERED and each step is in its history", async () => {
    const id = await createOrder();
    const route = planned(id);
    await publish(route);
    await eventually('PLANNED', async () => (await statusOf(id)).status === 'PLANNED');
    await publish(RouteStarted.create({ routeId: route.subject, orderIds: [id], startedAt: '2031-01-02T08:00:00Z' }, { subject: route.subject, orgId: DEMO.organization.id }));
    await publish(
      StopCompleted.create(
        { routeId: route.subject, stopId: uuid(), orderId: id, completedAt: '2031-01-02T09:05:00Z', recipientName: 'R. Ecipient' },
        { subject: route.subject, orgId: DEMO.organization.id },
      ),
    );
    const order = await eventually('DELIVERED', async () => {
      const o = await statusOf(id);
      return o.status === 'DELIVERED' ? o : undefined;
    });
    expect(order.history.map((h) => h.to)).toEqual(['CREATED', 'PLANNED', 'IN_TRANSIT', 'DELIVERED']);
    expect(order.history[3]!.reason).toBe('received by R. Ecipient');
    const changes = await eventually('status events', async () => {
      const found = (await eventsOf(ORDERS_TOPIC, id)).filter((e) => e.type === OrderStatusChanged.type);
      return found.length === 3 ? found : undefined;
    });
    expect(OrderStatusChanged.parse(changes[0]!).data.causationId).toBe(route.id);
  });

  it('given a traceparent on the request, then it rides on into the events, and planning’s on into the changes it caused', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent },
      body: JSON.stringify({ query: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', variables: { input: orderInput() } }),
    });
    const id = ((await res.json()) as { data: { createOrder: { id: string } } }).data.createOrder.id;
    const [created] = await eventually('OrderCreated', async () => {
      const found = await eventsOf(ORDERS_TOPIC, id);
      return found.length ? found : undefined;
    });
    expect(created!.traceparent).toBe(traceparent);

    const planningTrace = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await publish({ ...planned(id), traceparent: planningTrace });
    const changed = await eventually('OrderStatusChanged', async () => {
      const found = (await eventsOf(ORDERS_TOPIC, id)).filter((e) => e.type === OrderStatusChanged.type);
      return found.length ? found : undefined;
    });
    expect(changed[0]!.traceparent).toBe(planningTrace);
  });

  it('given the same event delivered twice, then it is applied once', async () => {
    const id = await createOrder();
    const route = planned(id);
    await publish(route);
    await publish(route);
    await drained();
    const order = await statusOf(id);
    expect(order.history.filter((h) => h.to === 'PLANNED')).toHaveLength(1);
  });

  it("given another tenant's event naming this tenant's order, then the order does not move", async () => {
    const id = await createOrder();
    await publish(planned(id, OTHER_TENANT.organization.id as string));
    await drained();
    expect((await statusOf(id)).status).toBe('CREATED');
  });

  it('given a poison event, then it goes to the dead-letter topic and the events behind it still apply', async () => {
    const id = await createOrder();
    const good = planned(id);
    const poison: EventEnvelope = { ...good, id: uuid(), data: { routeId: 'not-a-uuid', stops: 'none' } };
    await publish(poison);
    await publish({ ...good, id: uuid() });
    await eventually('PLANNED behind the poison event', async () => (await statusOf(id)).status === 'PLANNED');
    const dead = await eventually('the dead letter', async () => {
      // Every consumer of the planning topic (orders, and now billing) dead-letters it once: count the orders consumer's.
      const records = (await g.graph.transport.read(deadLetterTopic(PLANNING_TOPIC))).filter(
        (r) => r.headers?.ce_id?.toString() === poison.id && r.headers?.['dlq-group']?.toString() === 'orders',
      );
      return records.length ? records : undefined;
    });
    expect(dead).toHaveLength(1);
    const orders = g.graph.subgraphs.find((s) => s.name === 'orders')!;
    const metrics = await (await fetch(new URL('/metrics', orders.url))).text();
    expect(metrics).toMatch(/voidtracker_dead_letters\{subgraph="orders",topic="voidtracker\.planning\.dlq"\} [1-9]/);
    expect(metrics).toMatch(/voidtracker_consumer_lag\{subgraph="orders",group="orders"\} \d+/);
    expect(metrics).toMatch(/voidtracker_outbox_backlog\{subgraph="orders"\} \d+/);
  });
});
