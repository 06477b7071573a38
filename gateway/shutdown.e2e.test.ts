import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';
import { startLoad } from './testing/load.ts';
import { spawnGateway, type ServerProcess } from '../scripts/testing/processes.ts';

const READ = 'query($id: ID!) { me { email } order(id: $id) { id status } }';
const DRAIN_DELAY_MS = 1_500;

/**
 * A rolling update of the gateway: two gateway processes behind a client-side "load balancer",
 * SIGTERM to the first while eight clients keep reading through keep-alive connections.
 */
describe('gateway SIGTERM under load', () => {
  let g: TestGraph;
  let token: string;
  let orderId: string;
  let first: ServerProcess;
  let second: ServerProcess;

  beforeAll(async () => {
    g = await startTestGraph('pglite');
    token = await g.login('customer@demo.test');
    const created = await g.gql<{ createOrder: { id: string } }>(
      'mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }',
      { i: orderInput() },
      token,
    );
    orderId = created.data!.createOrder.id;
    const urls = Object.fromEntries(g.graph.subgraphs.map((s) => [s.name, s.url]));
    const env = { SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS), SHUTDOWN_GRACE_MS: '10000' };
    [first, second] = await Promise.all([spawnGateway(urls, env), spawnGateway(urls, env)]);
  }, 240_000);

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await g?.close();
  });

  it('drains: no request that reached it fails, in-flight ones complete, and it exits 0', async () => {
    const load = startLoad({
      targets: [first.graphqlUrl, second.graphqlUrl],
      clients: 8,
      query: READ,
      variables: { id: orderId },
      headers: { authorization: `Bearer ${token}` },
      readinessPollMs: 100,
    });
    await load.until((rs) => rs.filter((r) => r.target === first.graphqlUrl).length >= 100, 90_000);

    const signalledAt = Date.now();
    first.child.process.kill('SIGTERM');
    const exit = await first.exited;
    const exitedAt = Date.now();
    // The second instance carries the whole load for a while after the first is gone.
    await load.until((rs) => rs.filter((r) => r.target === second.graphqlUrl && r.startedAt > exitedAt).length >= 100, 90_000);
    const report = await load.stop();
    const summary = JSON.stringify({ outcomes: report.outcomes, failovers: report.failovers, rerouted: report.rerouted, unserved: report.unserved, dropped: report.dropped.slice(0, 5) });
    console.info(`gateway SIGTERM under load: ${summary}, exit after ${exitedAt - signalledAt} ms`);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(report.dropped, summary).toEqual([]);
    expect(report.unserved, summary).toBe(0);
    // Complete answers, not just 200s: a gateway shutting down must not degrade what it still serves.
    const incomplete = report.records.filter((r) => r.status !== 200 || r.body?.errors || r.body?.data?.order?.id !== orderId);
    expect(incomplete, summary).toEqual([]);

    const onFirst = report.records.filter((r) => r.target === first.graphqlUrl);
    // Requests in flight at the signal, and those that arrived during the drain delay, were answered — each telling its client to reconnect.
    const drained = onFirst.filter((r) => r.endedAt >= signalledAt);
    expect(drained.length, summary).toBeGreaterThan(0);
    expect(drained.filter((r) => r.connection === 'close').length, summary).toBeGreaterThan(0);
    // Before the signal nobody is told to close (else this proves nothing about the drain).
    expect(onFirst.filter((r) => r.endedAt < signalledAt && r.connection === 'close'), summary).toEqual([]);
    // The first stayed listening through the drain delay, and only then refused connections.
    expect(exitedAt - signalledAt).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    // Clients left it because its readiness failed, as a Service's endpoints would, before its listener closed.
    expect(report.rerouted, summary).toBeGreaterThan(0);
  }, 240_000);
});
