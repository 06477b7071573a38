import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../subgraphs/platform/config.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { startTracing, type Tracing } from '../subgraphs/platform/telemetry/tracing.ts';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';
import { tracedQuery } from './testing/traced.ts';

const BOARD = `query($first: Int!) {
  orders(first: $first) { edges { node { id customer { email organization { name } } quote { total currency } } } }
}`;
const PER_CUSTOMER = 4;
type Board = { orders: { edges: Array<{ node: { id: string; customer: { email: string; organization: { name: string } } | null; quote: { total: string } | null } }> } };

/**
 * A list of orders fans out into every subgraph that extends Order: iam for each customer, billing
 * for each quote. Each must cost a fixed number of queries however long the list: the entities of
 * one `_entities` call are loaded together (kernel/batching.ts), and the gateway sends each
 * distinct representation once.
 */
describe.each(await availableBackends())('entity lookups of a list on %s', (backend) => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let g: TestGraph;
  let dispatcher: string;
  const mine: string[] = [];

  beforeAll(async () => {
    tracing = startTracing(loadConfig({ NODE_ENV: 'test' }), { serviceName: 'voidtracker-test', exporters: [exporter] });
    g = await startTestGraph(backend);
    dispatcher = await g.login('dispatcher@demo.test');
    const customer = await g.login('customer@demo.test');
    // Two customers, orders interleaved, so the list repeats each of them.
    for (let i = 0; i < PER_CUSTOMER; i++) {
      for (const token of [customer, dispatcher]) {
        const res = await g.gql('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: orderInput({ reference: `BATCH-${i}-${token === customer ? "c" : "d"}` }) }, token);
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        mine.push(res.data!.createOrder.id);
      }
    }
    await eventually('every order priced', async () => {
      const res = await g.gql<Board>(BOARD, { first: 50 }, dispatcher);
      return res.data?.orders.edges.filter((e) => mine.includes(e.node.id) && e.node.quote).length === mine.length;
    });
  });
  afterAll(async () => {
    await g?.close();
    await tracing?.shutdown();
  });

  const board = (first: number, component: string, models: string[]) =>
    tracedQuery<Board>({ url: g.url, token: dispatcher, query: BOARD, variables: { first }, exporter, component, models });

  it('given orders of two customers, then iam loads all their customers, organizations included, in one query', async () => {
    const few = await board(2, 'iam', ['User', 'Organization']);
    const many = await board(mine.length, 'iam', ['User', 'Organization']);
    const emails = many.body.data.orders.edges.map((e) => e.node.customer?.email);
    expect(new Set(emails)).toEqual(new Set(['customer@demo.test', 'dispatcher@demo.test']));
    expect(many.body.data.orders.edges.every((e) => e.node.customer?.organization.name === 'Demo Logistics')).toBe(true);
    expect(many.operations).toEqual(['User.findMany']);
    expect(few.operations).toEqual(many.operations);
  });

  it('given priced orders, then billing loads every quote of the list in one query', async () => {
    const few = await board(2, 'billing', ['Quote']);
    const many = await board(mine.length, 'billing', ['Quote']);
    expect(many.body.data.orders.edges.filter((e) => e.node.quote).length).toBe(mine.length);
    expect(many.operations).toEqual(['Quote.findMany']);
    expect(few.operations).toEqual(many.operations);
  });
});
