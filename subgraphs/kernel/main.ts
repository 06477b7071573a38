import { loadConfig } from './config.ts';
import { isEntryPoint } from './entry-point.ts';
import { createLogger } from './logger.ts';
import { startSubgraph, type PrismaLike, type SubgraphDefinition } from './subgraph.ts';
import { startTracing } from './telemetry/tracing.ts';

/** Drains everything on SIGTERM/SIGINT; a second signal exits at once. */
export function onShutdown(close: () => Promise<void>, log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)) {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log(`${signal}: draining…`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).stack}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}

/** Lets `tsx subgraphs/<name>/server.ts` run one subgraph as its own process (the stack mode). */
export function runSubgraphMain<Db extends PrismaLike, S>(moduleUrl: string, def: SubgraphDefinition<Db, S>): void {
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
