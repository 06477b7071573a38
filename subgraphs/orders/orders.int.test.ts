import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from '../../gateway/testing/harness.ts';
import { migrationsDir } from '../../scripts/lib/domains.ts';
import { readMigrations } from '../platform/db/migrate.ts';

const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id status } } }`;

describe.each(await availableBackends())('the orders subgraph on %s', (backend) => {
  let g: TestGraph;
  let ordersUrl: string;
  let orderId: string;
  let dispatcher: string;
  beforeAll(async () => {
    g = await startTestGraph(backend);
    ordersUrl = g.graph.subgraphs.find((s) => s.name === 'orders')!.url;
    dispatcher = await g.login('dispatcher@demo.test');
    const res = await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher, ordersUrl);
    orderId = res.data!.createOrder.id;
  });
  afterAll(() => g?.close());

  it('resolves its own tenant’s order by key for the gateway', async () => {
    const res = await g.gql(ENTITIES, { reps: [{ __typename: 'Order', id: orderId }] }, dispatcher, ordersUrl);
    expect(res.data?._entities).toEqual([{ id: orderId, status: 'CREATED' }]);
  });

  it('resolves another tenant’s, a malformed or an unknown key to null, and nothing without a token', async () => {
    const stranger = await g.login('dispatcher@globex.test');
    const reps = [
      { __typename: 'Order', id: orderId },
      { __typename: 'Order', id: 'garbage' },
      { __typename: 'Order', id: '01900000-0000-7000-8000-00000000dead' },
    ];
    expect((await g.gql(ENTITIES, { reps }, stranger, ordersUrl)).data?._entities).toEqual([null, null, null]);
    expect((await g.gql(ENTITIES, { reps: reps.slice(0, 1) }, undefined, ordersUrl)).data?._entities).toEqual([null]);
  });

  it('does not take an identity from a bare header: only a verified token counts', async () => {
    const res = await fetch(ordersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': '01900000-0000-7000-8000-000000000102', 'x-org-id': '01900000-0000-7000-8000-000000000001' },
      body: JSON.stringify({ query: '{ orders { edges { node { id } } } }' }),
    });
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('is ready only with its database answering and its migrations applied', async () => {
    const res = await fetch(new URL('/health/ready', ordersUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', migrations: (await readMigrations(migrationsDir('orders'))).length });
  });
});
