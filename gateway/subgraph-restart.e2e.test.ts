import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFor, loadConfig } from '../subgraphs/platform/config.ts';
import { dropDatabase } from '../subgraphs/platform/db/database.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { startGateway, type RunningGateway } from './server.ts';
import { availableBackends, orderInput, startTestGraph, type Backend, type TestGraph } from './testing/harness.ts';
import { startLoad, type LoadRecord } from './testing/load.ts';
import { spawnSubgraph, type ServerProcess } from '../scripts/testing/processes.ts';

const READ = 'query($id: ID!) { me { email } order(id: $id) { id status } }';
const EMAIL = 'customer@demo.test';
const SETTLE_MS = 1_000;
const UNAVAILABLE = [{ message: 'The orders subgraph is unavailable.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' } }];

const backends = await availableBackends();

/**
 * A rolling restart of one subgraph: orders runs as its own process on data that outlives it
 * (a PGlite folder, or a PostgreSQL database), the rest of the graph in this one.
 */
describe.each(backends)('orders subgraph restart under load (orders on %s)', (backend: Backend) => {
  let g: TestGraph;
  let gateway: RunningGateway;
  let token: string;
  let orderId: string;
  let orders: ServerProcess | undefined;
  let ordersEnv: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    g = await startTestGraph('pglite');
    const urls = Object.fromEntries(g.graph.subgraphs.map((s) => [s.name, s.url]));
    const storage: Record<string, string> =
      backend === 'postgres'
        ? { POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', DATABASE_PREFIX: `vt_restart_${randomBytes(4).toString('hex')}` }
        : { DATA_DIR: await mkdtemp(join(tmpdir(), 'vt-orders-restart-')) };
    cleanup = async () => {
      if (storage.DATA_DIR) await rm(storage.DATA_DIR, { recursive: true, force: true });
      else await dropDatabase(databaseFor(loadConfig(storage), 'orders').location);
    };
    ordersEnv = { ...storage, JWKS_URL: new URL('/.well-known/jwks.json', urls.iam).toString(), SEED_DEMO: 'false' };
    orders = await spawnSubgraph('orders', ordersEnv);
    gateway = await startGateway(g.config, createLogger('silent'), { urls: { ...urls, orders: orders.graphqlUrl }, port: 0 });
    token = await g.login(EMAIL);
    const created = await g.gql<{ createOrder: { id: string } }>(
      'mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }',
      { i: orderInput() },
      token,
      gateway.graphqlUrl,
    );
    orderId = created.data!.createOrder.id;
  }, 240_000);

  afterAll(async () => {
    await gateway?.close();
    await orders?.stop();
    await g?.close();
    await cleanup?.();
  });

  const complete = (r: LoadRecord) =>
    r.status === 200 && !r.body?.errors && r.body?.data?.me?.email === EMAIL && r.body?.data?.order?.id === orderId && r.body.data.order.status === 'CREATED';
  const partial = (r: LoadRecord) =>
    r.status === 200 && r.body?.data?.me?.email === EMAIL && r.body.data.order === null && JSON.stringify(r.body.errors) === JSON.stringify(UNAVAILABLE);

  it('answers 200 throughout: complete, then iam data with a coded orders error while it is down, then complete again', async () => {
    const load = startLoad({ targets: [gateway.graphqlUrl], clients: 6, query: READ, variables: { id: orderId }, headers: { authorization: `Bearer ${token}` } });
    await load.until((rs) => rs.filter(complete).length >= 50, 90_000);

    const port = orders!.port;
    await orders!.stop();
    const exit = await orders!.exited;
    // A request that joined a read already on its way when orders stopped can still complete (the
    // gateway shares identical reads in flight), so "while down" starts a moment later.
    const stoppedAt = Date.now();
    const downAt = stoppedAt + SETTLE_MS;
    await load.until((rs) => rs.filter((r) => r.startedAt > downAt).length >= 30, 90_000);

    // The new process answers as soon as it listens, before spawnSubgraph has seen it ready.
    const restartedAt = Date.now();
    orders = await spawnSubgraph('orders', ordersEnv, port);
    const upAt = Date.now();
    await load.until((rs) => rs.filter((r) => r.startedAt > upAt).length >= 50, 90_000);
    const report = await load.stop();
    const summary = JSON.stringify({ outcomes: report.outcomes, complete: report.records.filter(complete).length, partial: report.records.filter(partial).length });
    console.info(`orders restart under load (${backend}): ${summary}, down for ${upAt - stoppedAt} ms`);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(report.dropped, summary).toEqual([]);
    expect(report.records.filter((r) => r.status !== 200), summary).toEqual([]);
    // Nothing but the two shapes: never an error for iam's part, never a 5xx-like whole-request failure.
    expect(report.records.filter((r) => !complete(r) && !partial(r)).slice(0, 3), summary).toEqual([]);
    const whileDown = report.records.filter((r) => r.startedAt > downAt && r.endedAt < restartedAt);
    expect(whileDown.length, summary).toBeGreaterThan(0);
    expect(whileDown.filter((r) => !partial(r)).slice(0, 3), summary).toEqual([]);
    const afterRestart = report.records.filter((r) => r.startedAt > upAt);
    expect(afterRestart.length, summary).toBeGreaterThanOrEqual(50);
    // The restarted process found the order it had before: its data outlived the process.
    expect(afterRestart.every(complete), summary).toBe(true);
  }, 300_000);
});
