import { loadConfig } from '../platform/config.ts';
import { isEntryPoint } from '../platform/entry-point.ts';
import { createLogger } from '../platform/logger.ts';
import { startSubgraph, type PrismaLike, type SubgraphDefinition } from './subgraph.ts';
import { startTracing } from '../platform/telemetry/tracing.ts';

/**
 * Drains everything on SIGTERM/SIGINT; a later, deliberate second signal exits at once.
 * One Ctrl+C arrives more than once (the terminal signals the whole process group, and npm
 * relays it to its script again), so a repeat within ECHO_MS is that echo and is ignored:
 * taken as "exit now", it would leave every PGlite folder marked in use.
 */
export function onShutdown(close: () => Promise<void>, log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)) {
  const ECHO_MS = 1_000;
  let firstAt: number | undefined;
  const handler = (signal: string) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < ECHO_MS) return;
      log(`${signal} again: exiting without draining`);
      process.exit(1);
    }
    firstAt = Date.now();
    log(`${signal}: draining…`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).stack}`);
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: with no listener left, a repeated signal would kill the process by default.
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

/** Lets `tsx subgraphs/<name>/server.ts` run one subgraph as its own process (the stack mode). */
export function runSubgraphMain<Db extends PrismaLike, S, Settings>(moduleUrl: string, def: SubgraphDefinition<Db, S, Settings>): void {
  if (!isEntryPoint(moduleUrl)) return;
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { service: def.name });
  const tracing = startTracing(config, { serviceName: def.name });
  startSubgraph(def, config, logger).then(
    (running) =>
      onShutdown(async () => {
        await running.close();
        await tracing?.shutdown();
      }),
    (error: unknown) => {
      logger.error('failed to start', { error: (error as Error).stack });
      process.exit(1);
    },
  );
}
