import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { uuidv7 } from '../subgraphs/platform/ids.ts';
import { deliverThroughPlanning } from './testing/delivery.ts';
import { availableBackends, orderInput, startTestGraph, type GqlResponse, type TestGraph } from './testing/harness.ts';

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data).toBeTruthy();
  return res.data!;
};

// The same selection under each type's own query and under node(id:).
const ORDER = 'id status reference weightKg pickup { city } customer { email organization { name } }';
const ROUTE = 'id routeStatus: status date vehicle { name } stops { sequence order { id status } }';
const INVOICE = 'id invoiceStatus: status total currency lines { order { id } }';
const USER = 'id email name roles';
const ORGANIZATION = 'id name currency';
const DEPOT = 'id name city';
const VEHICLE = 'id name plate';
const RATE_CARD = 'id code isDefault';

const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on Order { ${ORDER} } ... on Route { ${ROUTE} } ... on Invoice { ${INVOICE} } ... on User { ${USER} }
  ... on Organization { ${ORGANIZATION} } ... on Depot { ${DEPOT} } ... on Vehicle { ${VEHICLE} } ... on RateCard { ${RATE_CARD} } } }`;
const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Order { status } ... on Route { routeStatus: status } ... on User { email } } }';

describe.each(await availableBackends())('node(id:) and nodes(ids:) through the gateway on %s', (backend) => {
  let g: TestGraph;
  let dispatcher: string;
  let customer: string;
  let driver: string;
  let finance: string;
  let stranger: string;
  let orderId: string;
  let routeId: string;
  let invoiceId: string;
  const node = async (id: string, token: string) => (await g.gql(NODE, { id }, token)) as GqlResponse<{ node: Record<string, unknown> | null }>;

  beforeAll(async () => {
    g = await startTestGraph(backend);
    [dispatcher, customer, driver, finance, stranger] = (await Promise.all(
      ['dispatcher@demo.test', 'customer@demo.test', 'driver@demo.test', 'finance@demo.test', 'dispatcher@globex.test'].map((e) => g.login(e)),
    )) as [string, string, string, string, string];
    orderId = ok(await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput({ reference: 'NODE-1' }) }, dispatcher)).createOrder.id;
    routeId = (await deliverThroughPlanning(g, { dispatcher, driver }, orderId)).id;
    invoiceId = await eventually('the delivered order on a draft invoice', async () => ok(await g.gql('query($id: ID!) { order(id: $id) { invoice { id } } }', { id: orderId }, finance)).order?.invoice?.id);
  }, 120_000);
  afterAll(() => g?.close());

  it('given an order, a route and an invoice, then node(id) answers each with the fields its own query answers', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['Order', `query($id: ID!) { order(id: $id) { ${ORDER} } }`, orderId, dispatcher],
      ['Route', `query($id: ID!) { route(id: $id) { ${ROUTE} } }`, routeId, dispatcher],
      ['Invoice', `query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, invoiceId, finance],
    ];
    for (const [type, byId, id, token] of cases) {
      const own = Object.values(ok(await g.gql(byId, { id }, token)))[0] as Record<string, unknown>;
      expect(own, type).toBeTruthy();
      expect(ok(await node(id, token)).node, type).toEqual({ __typename: type, ...own });
    }
  });

  it('given a user, their organization, a depot, a vehicle and a rate card, then node(id) answers each as the lists and me do', async () => {
    const me = ok(await g.gql(`{ me { ${USER} organization { ${ORGANIZATION} } } }`, {}, dispatcher)).me;
    const { organization, ...user } = me;
    const depot = ok(await g.gql(`{ depots { ${DEPOT} } }`, {}, dispatcher)).depots[0];
    const vehicle = ok(await g.gql(`{ vehicles { ${VEHICLE} } }`, {}, dispatcher)).vehicles[0];
    const rateCard = ok(await g.gql(`{ rateCards { ${RATE_CARD} } }`, {}, finance)).rateCards[0];
    for (const [type, expected, token] of [
      ['User', user, dispatcher],
      ['Organization', organization, dispatcher],
      ['Depot', depot, dispatcher],
      ['Vehicle', vehicle, dispatcher],
      ['RateCard', rateCard, finance],
    ] as const) {
      expect(expected, type).toBeTruthy();
      expect(ok(await node(expected.id, token)).node, type).toEqual({ __typename: type, ...expected });
    }
  });

  it('given ids of several types, unknown ones among them, then nodes(ids) answers in the order asked with null for the unknown', async () => {
    const unknown = uuidv7();
    const dispatcherId = DEMO.users.find((u) => u.email === 'dispatcher@demo.test')!.id;
    const ids = [routeId, unknown, orderId, dispatcherId, routeId];
    const res = ok(await g.gql(NODES, { ids }, dispatcher));
    expect(res.nodes).toEqual([
      { __typename: 'Route', id: routeId, routeStatus: 'COMPLETED' },
      null,
      { __typename: 'Order', id: orderId, status: 'DELIVERED' },
      { __typename: 'User', id: dispatcherId, email: 'dispatcher@demo.test' },
      { __typename: 'Route', id: routeId, routeStatus: 'COMPLETED' },
    ]);
    expect(ok(await g.gql(NODES, { ids: [] }, dispatcher)).nodes).toEqual([]);
  });

  it("given another tenant's ids, then node and nodes answer null, with no error to tell them from unknown ones", async () => {
    for (const id of [orderId, routeId, invoiceId, DEMO.organization.id, DEMO.users[0]!.id] as string[]) {
      const res = await node(id, stranger);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ node: null });
    }
    expect(ok(await g.gql(NODES, { ids: [orderId, routeId] }, stranger)).nodes).toEqual([null, null]);
    // The same as their own by-id query says.
    expect(ok(await g.gql('query($id: ID!) { order(id: $id) { id } }', { id: orderId }, stranger)).order).toBeNull();
  });

  it('given a malformed id, then BAD_USER_INPUT names it, as order(id:) does', async () => {
    const byId = await g.gql('query { order(id: "not-an-id") { id } }', {}, dispatcher);
    expect(byId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const res = await node('not-an-id', dispatcher);
    expect(res.data).toEqual({ node: null });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const many = await g.gql(NODES, { ids: [orderId, 'x', 'y'] }, dispatcher);
    expect(many.data).toBeNull();
    expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids.1', fields: [{ field: 'ids.1' }, { field: 'ids.2' }] });
  });

  it('given no credentials, then UNAUTHENTICATED, as order(id:) says', async () => {
    const res = await g.gql(NODE, { id: orderId });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await g.gql('query($id: ID!) { order(id: $id) { id } }', { id: orderId })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('given a role that may not see a type, then node answers null where its by-id query answers null, and never reveals the type', async () => {
    // A dispatcher sees no invoices: invoice(id) is null, and so is the node.
    expect(ok(await g.gql('query($id: ID!) { invoice(id: $id) { id } }', { id: invoiceId }, dispatcher)).invoice).toBeNull();
    expect(ok(await node(invoiceId, dispatcher)).node).toBeNull();
    // A customer sees their own issued invoices only, never a draft (nor another customer's order).
    expect(ok(await g.gql('query($id: ID!) { invoice(id: $id) { id } }', { id: invoiceId }, customer)).invoice).toBeNull();
    expect(ok(await node(invoiceId, customer)).node).toBeNull();
    expect(ok(await g.gql('query($id: ID!) { order(id: $id) { id } }', { id: orderId }, customer)).order).toBeNull();
    expect(ok(await node(orderId, customer)).node).toBeNull();
    // route(id) refuses a customer by role (FORBIDDEN, whatever the id); node cannot know an id is a
    // route without saying so, so it answers null, as for any id the caller may not see.
    expect((await g.gql('query($id: ID!) { route(id: $id) { id } }', { id: routeId }, customer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const res = await node(routeId, customer);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ node: null });
  });

  it("given a field the caller's role may not read, then the owner refuses it through node as it does everywhere", async () => {
    const vehicle = ok(await g.gql('{ vehicles { id name capacityKg } }', {}, dispatcher)).vehicles[0];
    // Finance reads a vehicle's name and capacity, never its cost.
    const read = 'query($id: ID!) { node(id: $id) { ... on Vehicle { id name capacityKg } } }';
    expect(ok(await g.gql(read, { id: vehicle.id }, finance)).node).toEqual(vehicle);
    const cost = await g.gql('query($id: ID!) { node(id: $id) { ... on Vehicle { id name costPerKm } } }', { id: vehicle.id }, finance);
    expect(cost.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'node.costPerKm']]);
    expect(ok(await g.gql('query($id: ID!) { node(id: $id) { ... on Vehicle { costPerKm } } }', { id: vehicle.id }, dispatcher)).node.costPerKm).toMatch(/^\d+\.\d{4}$/);
  });
});
