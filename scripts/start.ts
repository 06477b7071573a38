/**
 * The embedded default: the whole graph in one process, each domain on its own file-backed
 * embedded PostgreSQL under DATA_DIR, demo data seeded.   npm start [-- --reset]
 */
import { rm } from 'node:fs/promises';
import { startGraph } from '../subgraphs/system/graph.ts';
import { loadConfig } from '../subgraphs/platform/config.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { onShutdown } from '../subgraphs/kernel/main.ts';
import { startTracing } from '../subgraphs/platform/telemetry/tracing.ts';
import { startBanner } from './lib/start-banner.ts';
import { commandLine } from './lib/command-line.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);

const { options } = commandLine({
  name: 'start',
  summary: 'The whole graph in one process on embedded PostgreSQL under DATA_DIR, demo data seeded.',
  options: { reset: { type: 'boolean', description: 'remove DATA_DIR first (not with POSTGRES_URL)' } },
});
if (options.reset && !config.postgresUrl) {
  await rm(config.dataDir, { recursive: true, force: true });
  console.log(`Reset: removed ${config.dataDir}/`);
}

const started = Date.now();
const tracing = startTracing(config, { serviceName: 'voidtracker' });
const graph = await startGraph(config, logger);
onShutdown(async () => {
  await graph.close();
  await tracing?.shutdown();
});

console.log(
  startBanner(config, {
    seconds: (Date.now() - started) / 1000,
    graphqlUrl: graph.gateway.graphqlUrl,
    url: graph.gateway.url,
    subgraphs: graph.subgraphs,
  }),
);
