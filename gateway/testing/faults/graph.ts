/** Process-level faults on a running test graph. */
import type { Domain } from '../../../subgraphs/platform/config.ts';
import { createLogger } from '../../../subgraphs/platform/logger.ts';
import { startSubgraph } from '../../../subgraphs/kernel/subgraph.ts';
import { orders } from '../../../subgraphs/orders/server.ts';
import { SUBGRAPHS } from '../../../subgraphs/system/subgraphs.ts';
import type { TestGraph } from '../harness.ts';

/**
 * Stops the orders subgraph (its HTTP server, consumers and outbox relay) and starts it again on
 * the same database and the shared transport, as a process restart would; `whileDown` runs in
 * between (e.g. to lift a fault only once the old process is gone). Only meaningful with a
 * file-backed DATA_DIR: with `memory://` the outbox would be gone. The graph's close() then closes
 * the new instance. The gateway still points at the old port, so talk to `ordersUrl(g)` afterwards.
 */
export async function restartOrdersSubgraph(g: TestGraph, whileDown: () => void | Promise<void> = () => {}): Promise<void> {
  if (!g.graph.subgraphs.some((s) => s.name === orders.name)) throw new Error('the graph runs no orders subgraph');
  await restartSubgraph(g, 'orders', whileDown);
}

/**
 * The same restart for any subgraph: while it is down its database is free to change (PGlite
 * allows one process at a time), e.g. to corrupt a row no API can reach. Talk to the restarted
 * subgraph at `g.graph.subgraphs.find(...).url`; the gateway still points at the old port.
 */
export async function restartSubgraph(g: TestGraph, name: Domain, whileDown: () => void | Promise<void> = () => {}): Promise<void> {
  if (g.config.dataDir === 'memory://' && !g.config.postgresUrl) throw new Error('restarting needs a file-backed DATA_DIR');
  const index = g.graph.subgraphs.findIndex((s) => s.name === name);
  const iam = g.graph.subgraphs.find((s) => s.name === 'iam');
  const def = SUBGRAPHS.find((d) => d.name === name);
  if (index < 0 || !iam || !def) throw new Error(`the graph runs no ${name} (or iam) subgraph`);
  await g.graph.subgraphs[index]!.close();
  await whileDown();
  const config = { ...g.config, jwt: { ...g.config.jwt, jwksUrl: new URL('/.well-known/jwks.json', iam.url).toString() } };
  g.graph.subgraphs[index] = await startSubgraph(def as never, config, createLogger(config.logLevel), {
    transport: g.graph.transport,
    port: 0,
  });
}
