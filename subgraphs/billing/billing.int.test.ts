import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, orderCreatedEvent, orderInput, startTestGraph, type TestGraph } from '../../gateway/testing/harness.ts';
import { eventually } from '../kernel/events/test-support.ts';
import { DEMO, OTHER_TENANT } from '../iam/seed.ts';
import { OrderCreated } from '../orders/events/contracts.ts';

const ENTITIES = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on RateCard { id code }
    ... on Order { id quote { total distanceSource } }
  }
}`;
const CARDS = 'query { rateCards { id code } }';

describe.each(await availableBackends())('the billing subgraph on %s', (backend) => {
  let g: TestGraph;
  let billingUrl: string;
  let finance: string;
  let stranger: string;
  let cardId: string;
  let orderId: string;
  const quote = (id: string) => g.gql(ENTITIES, { reps: [{ __typename: 'Order', id }] }, finance, billingUrl).then((r) => r.data?._entities[0]?.quote);

  beforeAll(async () => {
    g = await startTestGraph(backend);
    billingUrl = g.graph.subgraphs.find((s) => s.name === 'billing')!.url;
    [finance, stranger] = await Promise.all([g.login('finance@demo.test'), g.login('dispatcher@globex.test')]);
    const dispatcher = await g.login('dispatcher@demo.test');
    orderId = (await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher)).data!.createOrder.id;
    await eventually('the order to be quoted', () => quote(orderId));
    cardId = (await g.gql(CARDS, {}, finance, billingUrl)).data!.rateCards[0].id;
  });
  afterAll(() => g?.close());

  it('seeds the default card for every organization iam announces', async () => {
    expect((await g.gql(CARDS, {}, finance, billingUrl)).data!.rateCards).toEqual([{ id: cardId, code: 'ORG_DEFAULT' }]);
  });

  it('resolves its own tenant’s entities by key, and another tenant’s, an unknown or a malformed key to null', async () => {
    const reps = [{ __typename: 'RateCard', id: cardId }, { __typename: 'Order', id: orderId }];
    expect((await g.gql(ENTITIES, { reps }, finance, billingUrl)).data?._entities).toEqual([
      { id: cardId, code: 'ORG_DEFAULT' },
      { id: orderId, quote: { total: expect.stringMatching(/^\d+\.\d{2}$/), distanceSource: 'DIRECT' } },
    ]);
    expect((await g.gql(ENTITIES, { reps }, stranger, billingUrl)).data?._entities).toEqual([null, { id: orderId, quote: null }]);
    const odd = [{ __typename: 'RateCard', id: 'garbage' }, { __typename: 'RateCard', id: '01900000-0000-7000-8000-00000000dead' }];
    expect((await g.gql(ENTITIES, { reps: odd }, finance, billingUrl)).data?._entities).toEqual([null, null]);
    expect((await g.gql(ENTITIES, { reps }, undefined, billingUrl)).data?._entities).toEqual([null, { id: orderId, quote: null }]);
  });

  it('given OrderCreated delivered twice, then the order is quoted once and announced once', async () => {
    const id = crypto.randomUUID();
    const event = orderCreatedEvent(id, DEMO.organization.id, DEMO.users[2].id);
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: event }, { envelope: event }]);
    await eventually('the consumer to catch up', async () => (await g.graph.transport.lag('billing', [OrderCreated.topic])) === 0);
    expect(await quote(id)).toMatchObject({ distanceSource: 'DIRECT' });
    // The tenant in the envelope decides whose quote it is: the other tenant sees none.
    expect(OTHER_TENANT.organization.id).not.toBe(DEMO.organization.id);
  });

  it('is ready only with its database answering and its migrations applied', async () => {
    const res = await fetch(new URL('/health/ready', billingUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', migrations: 1 });
  });
});
