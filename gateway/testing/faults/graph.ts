/** Process-level faults on a running test graph. */
import { createLogger } from '../../../subgraphs/kernel/logger.ts';
import { startSubgraph } from '../../../subgraphs/kernel/subgraph.ts';
import { orders } from '../../../subgraphs/orders/server.ts';
import type { TestGraph } from '../harness.ts';

/**
 * Stops the orders subgraph (its HTTP server, consumers and outbox relay) and starts it again on
 * the same database and the shared transport, as a process restart would; `whileDown` runs in
 * between (e.g. to lift a fault only once the old process is gone). Only meaningful with a
 * file-backed DATA_DIR: with `memory://` the outbox would be gone. The graph's close() then closes
 * the new instance. The gateway still points at the old port, so talk to `ordersUrl(g)` afterwards.
 */
export async function restartOrdersSubgraph(g: TestGraph, whileDown: () => void | Promise<void> = () => {}): Promise<void> {
  if (g.config.dataDir === 'memory://' && !g.config.postgresUrl) throw new Error('restarting needs a file-backed DATA_DIR');
  const index = g.graph.subgraphs.findIndex((s) => s.name === 'orders');
  const iam = g.graph.subgraphs.find((s) => s.name === 'iam');
  if (index < 0 || !iam) throw new Error('the graph runs no orders (or iam) subgraph');
  await g.graph.subgraphs[index]!.close();
  await whileDown();
  const config = { ...g.config, jwt: { ...g.config.jwt, jwksUrl: new URL('/.well-known/jwks.json', iam.url).toString() } };
  g.graph.subgraphs[index] = await startSubgraph(orders as never, config, createLogger(config.logLevel), {
    transport: g.graph.transport,
    port: 0,
  });
}
