/**
 * Rebuilds analytics' read models from scratch and shows that nothing was lost: captures every
 * organization's figures from the live model, empties the models, replays every event while
 * printing progress (events done / total, events/s, memory), prints the rebuilt figures and
 * compares them with the live ones.
 *   npm run analytics:rebuild [-- --source log|topics] [--batch 500]
 * Source: `topics` (the default with KAFKA_BROKERS) reads every topic analytics consumes from the
 * beginning with a fresh consumer group; `log` (the default otherwise) replays analytics' own
 * event log, the only durable copy in the embedded mode. On PGlite (no POSTGRES_URL) stop the
 * graph first: an embedded database is one process's.
 * Exit codes: 0 rebuilt with identical figures, 1 figures differ or the rebuild failed, 2 bad arguments.
 */
import { ANALYTICS_CONSUMES } from '../subgraphs/analytics/domain/facts.ts';
import type { KpiFigures } from '../subgraphs/analytics/services/figures.ts';
import { compareSnapshots, replayEventLog, replayTopics, snapshotFigures, type RebuildProgress } from '../subgraphs/analytics/services/rebuild.ts';
import { databaseStore } from '../subgraphs/analytics/services/store.ts';
import { databaseFor, loadConfig } from '../subgraphs/platform/config.ts';
import { openDatabase } from '../subgraphs/platform/db/database.ts';
import { applyMigrations, readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { createEventTransport } from '../subgraphs/platform/events/runtime.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'analytics:rebuild',
  summary: "Rebuilds analytics' read models from every event and compares the figures with the live ones.",
  options: {
    source: { type: 'string', choices: ['log', 'topics'], description: "where events come from (default topics with KAFKA_BROKERS, else analytics' own log)" },
    batch: { type: 'number', default: 500, integer: true, min: 1, description: 'events per transaction' },
  },
});
const config = loadConfig();
const source = options.source ?? (config.events.transport === 'kafka' ? 'topics' : 'log');
const batchSize = options.batch;
if (source === 'topics' && config.events.transport !== 'kafka') {
  console.error('analytics-rebuild: --source topics needs KAFKA_BROKERS (the bus keeps nothing outside its process).');
  process.exit(2);
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
let lastPrint = 0;
const progress = (p: RebuildProgress) => {
  const now = performance.now();
  if (now - lastPrint < 1_000 && p.done < p.total) return;
  lastPrint = now;
  const rate = p.elapsedMs ? (p.done / p.elapsedMs) * 1000 : 0;
  const share = p.total ? ((100 * p.done) / p.total).toFixed(1) : '100.0';
  console.log(`rebuild: ${p.done}/${p.total} events (${share}%)  ${rate.toFixed(0)} events/s  RSS ${mb(p.rssBytes)} (peak ${mb(p.peakRssBytes)})`);
};

function describe(orgId: string, f: KpiFigures): string[] {
  const t = f.totals;
  const rate = t.onTime.rate === null ? 'n/a' : `${(100 * t.onTime.rate).toFixed(1)}%`;
  const routes = t.vehicles.reduce((n, v) => n + v.routes, 0);
  return [
    `organization ${orgId}`,
    `  orders: ${t.ordersCreated} created, ${t.ordersDelivered} delivered, ${t.ordersFailed} failed, ${t.ordersCancelled} cancelled; on time ${rate} of ${t.onTime.delivered} with a window`,
    ...t.revenue.map((r) => `  revenue ${r.currency}: invoiced ${r.invoiced} (${r.invoices} invoices, net ${r.invoicedNet}), paid ${r.paid}`),
    ...t.averagePrice.map((p) => `  average price ${p.currency}: ${p.perKm ?? 'n/a'}/km, ${p.perKg ?? 'n/a'}/kg over ${p.orders} orders`),
    `  vehicles: ${t.vehicles.length}, routes: ${routes}, months with activity: ${f.periods.length}`,
  ];
}

const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { service: 'analytics-rebuild' });
const database = await openDatabase(databaseFor(config, 'analytics'));
let exitCode = 1;
try {
  await applyMigrations(database, await readMigrations('prisma/analytics/migrations'));
  const store = databaseStore(database);
  console.log(`rebuild: capturing the live figures (${database.kind})…`);
  const before = await snapshotFigures(database);
  console.log(`rebuild: replaying from ${source === 'log' ? "analytics' event log" : 'the topics, with a fresh consumer group'}…`);
  let result;
  if (source === 'log') {
    result = await replayEventLog(store, { batchSize, onProgress: progress });
  } else {
    const transport = await createEventTransport(config, logger, 'analytics-rebuild');
    try {
      const topics = [...new Set(Object.values(ANALYTICS_CONSUMES).flat().map((c) => c.topic))];
      result = await replayTopics(store, transport, { topics, group: `analytics-rebuild-${Date.now()}`, onProgress: progress });
    } finally {
      await transport.close();
    }
  }
  const after = await snapshotFigures(database);
  console.log(`\nrebuilt ${result.events} events in ${result.seconds.toFixed(1)} s (${(result.events / Math.max(result.seconds, 0.001)).toFixed(0)} events/s), peak RSS ${mb(result.peakRssBytes)}\n`);
  for (const [orgId, figures] of Object.entries(after)) console.log(describe(orgId, figures).join('\n'));
  const differences = compareSnapshots(before, after);
  if (differences.length) {
    console.log(`\nrebuild: the rebuilt figures DIFFER from the live model (${differences.length}${differences.length >= 50 ? '+' : ''}):`);
    for (const d of differences) console.log(`  ${d}`);
  } else {
    console.log(`\nrebuild: identical to the live model (${Object.keys(after).length} organizations, all time, by month)`);
    exitCode = 0;
  }
} catch (error) {
  console.error(`rebuild failed: ${(error as Error).stack}`);
} finally {
  await database.close();
}
process.exit(exitCode);
