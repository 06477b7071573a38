import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { startGateway } from './server.ts';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const READ = 'query InflightProbe($id: ID!) { order(id: $id) { id status customer { email } } }';

/**
 * Identical reads in flight at once reach a subgraph once (gateway/inflight.ts), and never across
 * a write: a read sent after a mutation answered sees that mutation, however many identical reads
 * were in flight when it was made.
 */
describe.each(await availableBackends())('identical reads in flight on %s', (backend) => {
  let g: TestGraph;
  let token: string;

  beforeAll(async () => {
    g = await startTestGraph(backend);
    token = await g.login('dispatcher@demo.test');
  });
  afterAll(() => g?.close());

  const createOrder = async () => {
    const res = await g.gql('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: orderInput() }, token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!.createOrder.id as string;
  };
  const read = (id: string) => g.gql<{ order: { id: string; status: string } }>(READ, { id }, token);
  /** How many InflightProbe requests the orders subgraph has served, from its own metrics. */
  const ordersServed = async () => {
    const orders = g.graph.subgraphs.find((s) => s.name === 'orders')!;
    const text = await (await fetch(orders.url.replace(/\/graphql$/, '/metrics'))).text();
    const line = text.split('\n').find((l) => l.startsWith('graphql_subgraph_request_duration_seconds_count') && l.includes('operation_name="InflightProbe"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('given many identical reads at once, then they all get the same answer and the subgraph serves fewer requests than were sent', async () => {
    const id = await createOrder();
    const before = await ordersServed();
    const answers = await Promise.all(Array.from({ length: 40 }, () => read(id)));
    for (const a of answers) {
      expect(a.errors).toBeUndefined();
      expect(a.data?.order).toMatchObject({ id, status: 'CREATED' });
    }
    const served = (await ordersServed()) - before;
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(40);
    // The gateway counts what it shared.
    const metrics = await (await fetch(`${g.graph.gateway.url}/metrics`)).text();
    const shared = metrics.split('\n').find((l) => l.startsWith('graphql_subgraph_reads_shared_total{subgraph="orders"}'));
    expect(Number(shared?.split(' ').at(-1))).toBeGreaterThan(0);
  });

  it('given identical reads in flight all along, when a mutation answers, then every read sent after it sees the write', async () => {
    // A gateway whose orders subgraph answers InflightProbe reads a second late, so reads that
    // started before the mutation are still in flight when it answers.
    const orders = g.graph.subgraphs.find((s) => s.name === 'orders')!.url;
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      const upstream = await fetch(orders, { method: 'POST', headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' }, body });
      const text = await upstream.text();
      if (body.includes('InflightProbe')) await new Promise((r) => setTimeout(r, 1000));
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const urls = Object.fromEntries(g.graph.subgraphs.map((s) => [s.name, s.url]));
    urls.orders = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
    const slow = await startGateway(g.config, createLogger('warn'), { urls, port: 0 });
    try {
      const id = await createOrder();
      const read = () => g.gql<{ order: { status: string } }>(READ, { id }, token, slow.graphqlUrl);
      let stop = false;
      const readers = Array.from({ length: 8 }, async () => {
        while (!stop) expect((await read()).errors).toBeUndefined();
      });
      await new Promise((r) => setTimeout(r, 400));
      const cancelled = await g.gql('mutation($id: ID!) { cancelOrder(id: $id, reason: "test") { status } }', { id }, token, slow.graphqlUrl);
      expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
      const after = await Promise.all(Array.from({ length: 8 }, () => read()));
      stop = true;
      await Promise.all(readers);
      expect(after.map((a) => a.data?.order.status)).toEqual(Array(8).fill('CANCELLED'));
    } finally {
      await slow.close();
      proxy.close();
    }
  });
});
