import { readFile } from 'node:fs/promises';
import { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from './testing/harness.ts';

/** What Sandbox, code generators and IDE plugins see: introspection through /graphql. */
describe('introspection through the gateway', () => {
  let g: TestGraph;
  let customer: string;
  beforeAll(async () => {
    g = await startTestGraph('pglite');
    customer = await g.login('customer@demo.test');
  }, 240_000);
  afterAll(() => g?.close());

  it('answers the client-facing schema, Subscription type included, exactly as committed in schemas/api.graphql', async () => {
    const res = await g.gql<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true }));
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.subscriptionType).toMatchObject({ name: 'Subscription' });
    const introspected = buildClientSchema(res.data!);
    const fields = introspected.getSubscriptionType()!.getFields();
    expect(Object.keys(fields).sort()).toEqual(['dispatchBoard', 'orderUpdated', 'routeProgress']);
    expect(String(fields.orderUpdated!.type)).toBe('Order!');
    const committed = buildSchema(await readFile('schemas/api.graphql', 'utf8'));
    expect(printSchema(introspected)).toBe(printSchema(committed));
  });

  it('answers __type(name: "Subscription") too', async () => {
    const res = await g.gql<{ __type: { fields: Array<{ name: string }> } | null }>('{ __type(name: "Subscription") { fields { name } } }');
    expect(res.data?.__type?.fields.map((f) => f.name).sort()).toEqual(['dispatchBoard', 'orderUpdated', 'routeProgress']);
  });

  it('still runs queries through the federated graph, and still refuses a subscription over plain HTTP', async () => {
    const mixed = await g.gql<{ __typename: string; me: { email: string } }>('{ __typename me { email } }', {}, customer);
    expect(mixed).toMatchObject({ data: { __typename: 'Query', me: { email: 'customer@demo.test' } } });
    const live = await g.gql('subscription { orderUpdated(id: "0190a000-0000-7000-8000-000000000001") { id } }', {}, customer);
    expect(live.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_NOT_OVER_HTTP');
  });
});
