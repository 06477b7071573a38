import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const CREATE = `mutation($input: CreateOrderInput!) {
  createOrder(input: $input) {
    id reference status weightKg createdAt
    pickup { city country lat } dropoff { city }
    parcels { weightKg lengthCm }
    deliveryWindow { start end }
    history { from to actor { email } }
  }
}`;
const READ = `query($id: ID!) { order(id: $id) { id status customer { email organization { name } } } }`;
const LIST = `query($first: Int, $after: String, $status: OrderStatus) {
  orders(first: $first, after: $after, status: $status) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } }
}`;
const CANCEL = 'mutation($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { id status cancellationReason history { from to reason } } }';

describe.each(await availableBackends())('orders through the gateway on %s', (backend) => {
  let g: TestGraph;
  let dispatcher: string;
  let customer: string;
  let driver: string;
  let stranger: string;
  const countOrders = async () => (await g.gql(LIST, { first: 100 }, dispatcher)).data!.orders.edges.length as number;

  beforeAll(async () => {
    g = await startTestGraph(backend);
    [dispatcher, customer, driver, stranger] = await Promise.all([
      g.login('dispatcher@demo.test'),
      g.login('customer@demo.test'),
      g.login('driver@demo.test'),
      g.login('dispatcher@globex.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given a dispatcher, when creating an order, then it is CREATED with exact weights and its first history entry', async () => {
    const deliveryWindow = { start: '2031-01-02T08:00:00Z', end: '2031-01-02T12:00:00+02:00' };
    const res = await g.gql(CREATE, { input: orderInput({ reference: 'PO-1', deliveryWindow, parcels: [{ weightKg: 0.1 }, { weightKg: 0.2 }] }) }, dispatcher);
    expect(res.errors).toBeUndefined();
    const order = res.data!.createOrder;
    expect(order).toMatchObject({
      reference: 'PO-1',
      status: 'CREATED',
      weightKg: 0.3,
      pickup: { city: 'Berlin', country: 'DE' },
      parcels: [{ weightKg: 0.1, lengthCm: null }, { weightKg: 0.2 }],
      deliveryWindow: { start: '2031-01-02T08:00:00.000Z', end: '2031-01-02T10:00:00.000Z' },
      history: [{ from: null, to: 'CREATED', actor: { email: 'dispatcher@demo.test' } }],
    });
    expect(order.createdAt).toMatch(/Z$/);
  });

  it('given an order, when read back, then its customer comes from iam through federation', async () => {
    const id = (await g.gql(CREATE, { input: orderInput() }, dispatcher)).data!.createOrder.id;
    const res = await g.gql(READ, { id }, dispatcher);
    expect(res.data?.order).toEqual({ id, status: 'CREATED', customer: { email: 'dispatcher@demo.test', organization: { name: 'Demo Logistics' } } });
  });

  it.each([
    ['a negative weight', orderInput({ parcels: [{ weightKg: -1 }] }), 'input.parcels.0.weightKg'],
    ['an empty parcel list', orderInput({ parcels: [] }), 'input.parcels'],
    ['a window that ends before it starts', orderInput({ deliveryWindow: { start: '2031-01-02T12:00:00Z', end: '2031-01-02T08:00:00Z' } }), 'input.deliveryWindow.end'],
    ['a latitude off the globe', orderInput({ dropoff: { ...orderInput().dropoff, lat: 123 } }), 'input.dropoff.lat'],
  ])('given %s, then BAD_USER_INPUT names the field and nothing is written', async (_what, input, field) => {
    const before = await countOrders();
    const res = await g.gql(CREATE, { input }, dispatcher);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await countOrders()).toBe(before);
  });

  it('given a missing field or a wrong type, then the request is refused before any subgraph runs', async () => {
    const { pickup: _omitted, ...missing } = orderInput();
    const res = await g.gql(CREATE, { input: missing }, dispatcher);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/pickup/);
    const wrongType = await g.gql(CREATE, { input: orderInput({ parcels: [{ weightKg: 'heavy' }] }) }, dispatcher);
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badDate = await g.gql(CREATE, { input: orderInput({ deliveryWindow: { start: 'tomorrow', end: '2031-01-02T08:00:00Z' } }) }, dispatcher);
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('given a malformed id, then BAD_USER_INPUT names it; an unknown id is simply absent', async () => {
    const malformed = await g.gql(READ, { id: 'not-an-id' }, dispatcher);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const unknown = await g.gql(READ, { id: '01900000-0000-7000-8000-00000000dead' }, dispatcher);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data?.order).toBeNull();
  });

  it('given a duplicate reference, then CONFLICT names it and only the first order exists', async () => {
    await g.gql(CREATE, { input: orderInput({ reference: 'DUP-1' }) }, dispatcher);
    const before = await countOrders();
    const res = await g.gql(CREATE, { input: orderInput({ reference: 'DUP-1' }) }, dispatcher);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.reference' });
    expect(await countOrders()).toBe(before);
  });

  it('given a reference another customer of the organization used, then the order is placed: nothing confirms the other’s reference exists (issue 21 #14)', async () => {
    const mine = await g.gql(CREATE, { input: orderInput({ reference: 'PRIVATE-REF-7' }) }, customer);
    expect(mine.errors).toBeUndefined();
    const probe = await g.gql(CREATE, { input: orderInput({ reference: 'PRIVATE-REF-7' }) }, dispatcher);
    expect(probe.errors).toBeUndefined();
    expect(probe.data!.createOrder).toMatchObject({ reference: 'PRIVATE-REF-7' });
    // Each customer's own references stay unique.
    const again = await g.gql(CREATE, { input: orderInput({ reference: 'PRIVATE-REF-7' }) }, customer);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.reference' });
  });

  it("given another tenant's order id, then it looks exactly like an unknown id", async () => {
    const id = (await g.gql(CREATE, { input: orderInput() }, dispatcher)).data!.createOrder.id;
    const read = await g.gql(READ, { id }, stranger);
    expect(read.errors).toBeUndefined();
    expect(read.data?.order).toBeNull();
    const cancel = await g.gql(CANCEL, { id }, stranger);
    const cancelUnknown = await g.gql(CANCEL, { id: '01900000-0000-7000-8000-00000000dead' }, stranger);
    expect(cancel.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(cancel.errors?.[0]?.message).toBe(cancelUnknown.errors?.[0]?.message);
    const list = (await g.gql(LIST, { first: 100 }, stranger)).data!.orders.edges as Array<{ node: { id: string } }>;
    expect(list.map((e) => e.node.id)).not.toContain(id);
    expect((await g.gql(READ, { id }, dispatcher)).data?.order.status).toBe('CREATED');
  });

  it('given a customer, then they see and cancel only their own orders', async () => {
    const own = (await g.gql(CREATE, { input: orderInput() }, customer)).data!.createOrder.id;
    const others = (await g.gql(CREATE, { input: orderInput() }, dispatcher)).data!.createOrder.id;
    const seen = ((await g.gql(LIST, { first: 100 }, customer)).data!.orders.edges as Array<{ node: { id: string } }>).map((e) => e.node.id);
    expect(seen).toContain(own);
    expect(seen).not.toContain(others);
    expect((await g.gql(READ, { id: others }, customer)).data?.order).toBeNull();
    expect((await g.gql(CANCEL, { id: others }, customer)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await g.gql(CANCEL, { id: own, reason: 'no longer needed' }, customer)).data?.cancelOrder.status).toBe('CANCELLED');
    const me = await g.gql('{ me { email orders(first: 50) { edges { node { id } } } } }', {}, customer);
    expect((me.data!.me.orders.edges as Array<{ node: { id: string } }>).map((e) => e.node.id)).toContain(own);
  });

  it('given a driver, when placing an order, then FORBIDDEN; without a token, UNAUTHENTICATED', async () => {
    expect((await g.gql(CREATE, { input: orderInput() }, driver)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await g.gql(CREATE, { input: orderInput() })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await g.gql(LIST, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('given an order, when cancelled twice, then the second is a CONFLICT and history keeps one cancellation', async () => {
    const id = (await g.gql(CREATE, { input: orderInput() }, dispatcher)).data!.createOrder.id;
    const first = await g.gql(CANCEL, { id, reason: '  customer called  ' }, dispatcher);
    expect(first.data?.cancelOrder).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'customer called',
      history: [{ from: null, to: 'CREATED' }, { from: 'CREATED', to: 'CANCELLED', reason: 'customer called' }],
    });
    const second = await g.gql(CANCEL, { id }, dispatcher);
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(second.errors?.[0]?.message).toMatch(/CANCELLED is final/);
  });

  it('pages through orders newest first with cursors, and filters by status', async () => {
    const org = await g.login('admin@demo.test');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await g.gql(CREATE, { input: orderInput() }, org)).data!.createOrder.id);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await g.gql(LIST, { first: 2, after }, org)).data!.orders;
      seen.push(...(page.edges as Array<{ node: { id: string } }>).map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 5)).toEqual([...ids].reverse());
    const cancelled = (await g.gql(LIST, { first: 100, status: 'CANCELLED' }, org)).data!.orders.edges as Array<{ node: { status: string } }>;
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((e) => e.node.status === 'CANCELLED')).toBe(true);
  });

  it('given bad paging arguments, then BAD_USER_INPUT rather than an internal error', async () => {
    for (const variables of [{ first: -1 }, { first: 1000 }, { after: 'garbage' }]) {
      const res = await g.gql(LIST, variables, dispatcher);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
  });
});
