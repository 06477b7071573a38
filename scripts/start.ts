/**
 * The embedded default: the whole graph in one process, each domain on its own file-backed
 * embedded PostgreSQL under DATA_DIR, demo data seeded.   npm start [-- --reset]
 */
import { rm } from 'node:fs/promises';
import { startGraph } from '../gateway/graph.ts';
import { loadConfig } from '../subgraphs/kernel/config.ts';
import { createLogger } from '../subgraphs/kernel/logger.ts';
import { onShutdown } from '../subgraphs/kernel/main.ts';
import { startTracing } from '../subgraphs/kernel/telemetry/tracing.ts';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);

if (process.argv.includes('--reset') && !config.postgresUrl) {
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

const where = config.postgresUrl ? `PostgreSQL at ${new URL(config.postgresUrl).host}` : `embedded PostgreSQL in ${config.dataDir}/`;
console.log(`
VoidTracker is up in ${((Date.now() - started) / 1000).toFixed(1)} s (${config.env}, ${where})

  GraphQL endpoint   ${graph.gateway.graphqlUrl}
  Apollo Sandbox     ${graph.gateway.url}/   (open in a browser)
  Health             ${graph.gateway.url}/health/ready
  Traces             ${config.telemetry.otlpEndpoint ? `OTLP to ${config.telemetry.otlpEndpoint}` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)'}
  Subgraphs          ${graph.subgraphs.map((s) => `${s.name} ${s.url}`).join(', ')}
${
  config.seedDemo
    ? `
  Demo users, password "${DEMO.password}" for every one:
${[DEMO, OTHER_TENANT]
  .flatMap((t) => t.users.map((u) => `    ${u.email.padEnd(24)} ${u.roles.join(', ').padEnd(12)} ${t.organization.slug}`))
  .join('\n')}
`
    : ''
}
Ctrl+C stops it; data stays in ${config.dataDir}/ (npm start -- --reset starts afresh).
`);
