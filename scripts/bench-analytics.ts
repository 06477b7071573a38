/**
 * The analytics benchmark, in three phases:
 *  1. a year of a busy organization (Demo Logistics): orders, quotes, routes, deliveries, failures,
 *     cancellations and monthly invoices, fed envelope by envelope through analytics' consumers
 *     (inbox, event log and read models, one transaction each), printing events/s per consumer;
 *  2. the graph started on that data (like `npm run bench`), and the KPI queries measured through
 *     the gateway: p50/p95/p99 and requests/s;
 *  3. the graph stopped and `scripts/analytics-rebuild.ts` run on the same data: events/s and memory.
 *   npx tsx scripts/bench-analytics.ts [--orders 100000] [--days 365] [--seconds 10] [--concurrency 1,4] [--keep]
 * PostgreSQL when POSTGRES_URL is set (databases of its own, dropped afterwards unless --keep),
 * else embedded PGlite in a temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billingConsumer, BILLING_TOPIC } from '../subgraphs/analytics/events/billing-consumer.ts';
import { ordersConsumer, ORDERS_TOPIC } from '../subgraphs/analytics/events/orders-consumer.ts';
import { planningConsumer, PLANNING_TOPIC } from '../subgraphs/analytics/events/planning-consumer.ts';
import { syntheticHistory } from '../subgraphs/analytics/events/synthetic-history.ts';
import { PrismaClient } from '../subgraphs/analytics/generated/prisma/client.ts';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';
import { databaseFor, DOMAINS, loadConfig, type Env } from '../subgraphs/platform/config.ts';
import { dropDatabase, openDatabase } from '../subgraphs/platform/db/database.ts';
import { applyMigrations, readMigrations } from '../subgraphs/platform/db/migrate.ts';
import type { EventEnvelope } from '../subgraphs/platform/events/envelope.ts';
import { runLoad, type LoadResult } from './bench/load.ts';
import { graphqlClient } from './demo/steps.ts';
import { freePort } from './bench/processes.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'bench:analytics',
  summary: "A year of a busy organization through analytics' consumers (events/s), its KPI queries through the gateway, then a rebuild (events/s, memory).",
  options: {
    orders: { type: 'number', default: 100_000, integer: true, min: 1, description: 'orders in the synthetic year' },
    days: { type: 'number', default: 365, integer: true, min: 1, description: 'days the history spans' },
    seconds: { type: 'number', default: 10, min: 1, description: 'how long each query scenario runs' },
    concurrency: { type: 'string', default: '1,4', value: 'n[,n]', description: 'levels of requests in flight: latency alone, then under load' },
    keep: { type: 'boolean', description: 'keep the databases afterwards' },
  },
});
const { orders, days, seconds, keep } = options;
const concurrencies = options.concurrency.split(',').map(Number);
if (concurrencies.some((c) => !Number.isInteger(c) || c < 1)) {
  process.stderr.write(`bench:analytics: --concurrency: whole numbers of at least 1, comma separated: ${options.concurrency}\n`);
  process.exit(2);
}
const log = (msg: string) => process.stderr.write(`bench-analytics: ${msg}\n`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

const YEAR = { from: '2030-01-01T00:00:00Z', to: new Date(Date.parse('2030-01-01T00:00:00Z') + days * 86_400_000).toISOString() };

// The graph's environment: its own data, its own ports, no rate limit (it would be what we measure).
const dataDir = process.env.POSTGRES_URL ? undefined : await mkdtemp(join(tmpdir(), 'vt-bench-analytics-'));
const ports = Object.fromEntries(await Promise.all(['GATEWAY', ...DOMAINS.map((d) => d.toUpperCase())].map(async (k) => [`${k}_PORT`, String(await freePort())])));
const env: Env = {
  ...process.env,
  ...ports,
  JWKS_URL: `http://127.0.0.1:${ports.IAM_PORT}/.well-known/jwks.json`,
  LOG_LEVEL: 'warn',
  GATEWAY_RATE_LIMIT_PER_SECOND: '0',
  SEED_DEMO: 'true',
  ...(dataDir ? { DATA_DIR: dataDir } : { DATABASE_PREFIX: `vt_bench_${randomBytes(3).toString('hex')}` }),
};
delete env.KAFKA_BROKERS;
const config = loadConfig(env);
const backend = config.postgresUrl ? `PostgreSQL ${new URL(config.postgresUrl).host}` : 'PGlite (embedded)';

// 1. Feed a year of events through the consumers, as the transport delivers them: one worker per
// partition (a stable hash of the key), each handling its records one at a time, in order.
type Handler = (e: EventEnvelope) => Promise<void>;
function partitionedFeeder(partitions: number, handlerFor: (topic: string) => Handler) {
  const queues = Array.from({ length: partitions }, () => [] as Array<{ topic: string; envelope: EventEnvelope }>);
  const wakers: Array<(() => void) | undefined> = [];
  let done = false;
  let failure: unknown;
  const workers = queues.map(async (queue, i) => {
    for (;;) {
      const next = queue.shift();
      if (next) {
        await handlerFor(next.topic)(next.envelope).catch((error: unknown) => (failure ??= error));
        continue;
      }
      if (done) return;
      await new Promise<void>((r) => (wakers[i] = r));
    }
  });
  const hash = (key: string) => [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return {
    async push(topic: string, envelope: EventEnvelope) {
      if (failure) throw failure;
      const i = hash(envelope.subject) % partitions;
      queues[i]!.push({ topic, envelope });
      wakers[i]?.();
      wakers[i] = undefined;
      // Back-pressure: the generator waits while a partition is far ahead.
      while (queues[i]!.length > 500) await new Promise((r) => setTimeout(r, 5));
    },
    async drain() {
      done = true;
      wakers.forEach((w) => w?.());
      await Promise.all(workers);
      if (failure) throw failure;
    },
  };
}

const partitions = config.events.partitions;
const consumerRates: Array<[string, number, number]> = [];
let generated = 0;
let feedSeconds = 0;
{
  const database = await openDatabase(databaseFor(config, 'analytics'));
  await applyMigrations(database, await readMigrations('prisma/analytics/migrations'));
  const db = new PrismaClient({ adapter: database.adapter });
  const handlers: Record<string, [string, Handler]> = {
    [ORDERS_TOPIC]: ['orders consumer', ordersConsumer(db)],
    [PLANNING_TOPIC]: ['planning consumer', planningConsumer(db)],
    [BILLING_TOPIC]: ['billing consumer', billingConsumer(db)],
  };
  const customers = [...DEMO.users.map((u) => u.id), ...Array.from({ length: Math.max(5, Math.round(orders / 200)) }, () => crypto.randomUUID())];
  log(`phase 1: ${orders} orders over ${days} days for ${DEMO.organization.name}, through analytics' consumers on ${backend}, ${partitions} partitions…`);
  const feeder = partitionedFeeder(partitions, (topic) => handlers[topic]![1]);
  const started = performance.now();
  let lastPrint = started;
  for (const { topic, envelope } of syntheticHistory({ orgId: DEMO.organization.id, orders, start: new Date(YEAR.from), days, customers, seed: 2030 })) {
    await feeder.push(topic, envelope);
    generated++;
    if (performance.now() - lastPrint > 10_000) {
      lastPrint = performance.now();
      log(`  ${generated} events, ${(generated / ((lastPrint - started) / 1000)).toFixed(0)} events/s, RSS ${mb(process.memoryUsage.rss())}`);
    }
  }
  await feeder.drain();
  feedSeconds = (performance.now() - started) / 1000;

  // Each consumer alone, on six weeks of another organization's events of its own topic.
  const sample = [...syntheticHistory({ orgId: OTHER_TENANT.organization.id, orders: Math.min(orders, 3_000), start: new Date(YEAR.from), days: 45, seed: 7 })];
  for (const [topic, [name, handle]] of Object.entries(handlers)) {
    const events = sample.filter((e) => e.topic === topic);
    const alone = partitionedFeeder(partitions, () => handle);
    const t0 = performance.now();
    for (const { envelope } of events) await alone.push(topic, envelope);
    await alone.drain();
    const ms = performance.now() - t0;
    consumerRates.push([name, events.length, (events.length / ms) * 1000]);
    log(`  ${name}: ${events.length} events alone, ${((events.length / ms) * 1000).toFixed(0)} events/s`);
  }
  await db.$disconnect();
  await database.close();
}

// 2. The KPI queries through the gateway.
const gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
let graph: ChildProcess | undefined;
const results: Array<[string, number, LoadResult]> = [];
let rebuildSummary = '';
try {
  log('phase 2: starting the graph on that data…');
  graph = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 180_000;
  while ((await fetch(new URL('/health/ready', gatewayUrl)).catch(() => undefined))?.ok !== true) {
    if (Date.now() > deadline || graph.exitCode !== null) throw new Error('the graph did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
  const gql = graphqlClient(gatewayUrl);
  const token: string = (await gql('mutation { login(email: "dispatcher@demo.test", password: "voidtracker") { accessToken } }')).data.login.accessToken;
  const headers = { authorization: `Bearer ${token}` };
  const check = await gql(`query($r: KpiRangeInput!) { kpis(range: $r, groupBy: MONTH) { totals { ordersCreated } } }`, { r: YEAR }, token);
  if (check.data?.kpis?.totals?.ordersCreated !== orders) throw new Error(`the graph answers ${JSON.stringify(check)} instead of ${orders} orders`);

  const period = 'ordersCreated ordersDelivered ordersFailed ordersCancelled onTime { delivered onTime rate }';
  const money = 'revenue { currency invoiced invoicedNet paid } averagePrice { currency orders perKm perKg }';
  const scenarios: Array<[string, string]> = [
    ['by month: orders, on time, revenue, average price', `query($r: KpiRangeInput!) { kpis(range: $r, groupBy: MONTH) { periods { start ${period} ${money} } totals { ${period} ${money} } } }`],
    [`${days} days by day: orders and on time`, `query($r: KpiRangeInput!) { kpis(range: $r, groupBy: DAY) { periods { start ${period} } } }`],
    ['by week: vehicle utilization', `query($r: KpiRangeInput!) { kpis(range: $r, groupBy: WEEK) { periods { start vehicles { vehicleId routes stops distanceKm loadKg averageLoadKg } } } }`],
    ['by month: vehicle utilization, vehicle names from planning', `query($r: KpiRangeInput!) { kpis(range: $r, groupBy: MONTH) { periods { start vehicles { vehicle { name capacityKg } routes loadKg } } } }`],
    ['top 10 customers, names from iam', `query($r: KpiRangeInput!) { kpis(range: $r, groupBy: MONTH) { topCustomers(limit: 10) { customer { name } orders delivered revenue { currency amount } } } }`],
    ['Organization.kpis: totals via me { organization }', `query($r: KpiRangeInput!) { me { organization { name kpis(range: $r, groupBy: MONTH) { totals { ${period} ${money} } } } } }`],
  ];
  const noErrors = (_status: number, body: string) => (body.includes('"errors"') ? body.slice(0, 300) : undefined);
  for (const [name, query] of scenarios) {
    const body = () => JSON.stringify({ query, variables: { r: YEAR } });
    log(`warming up: ${name}…`);
    await runLoad({ url: gatewayUrl, concurrency: 1, seconds: Math.min(2, seconds), body, headers });
    for (const concurrency of concurrencies) {
      log(`measuring: ${name} for ${seconds} s at concurrency ${concurrency}…`);
      results.push([name, concurrency, await runLoad({ url: gatewayUrl, concurrency, seconds, body, headers, check: noErrors })]);
    }
  }
} finally {
  if (graph && graph.exitCode === null) {
    const exited = new Promise((r) => graph!.once('exit', r));
    graph.kill('SIGTERM');
    await exited;
  }
}

// 3. Rebuild the read models from scratch on the same data, as an operator would.
{
  log('phase 3: npm run analytics:rebuild on the same data…');
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/analytics-rebuild.ts', '--source', 'log'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    process.stderr.write(d);
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  rebuildSummary = (/rebuilt .*$/m.exec(out)?.[0] ?? 'no summary') + (code === 0 ? ', figures identical to the live model' : `, exit ${code}: FIGURES DIFFER`);
}

if (!keep) {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  else for (const d of DOMAINS) await dropDatabase(databaseFor(config, d).location).catch(() => {});
}

console.log(`\nVoidTracker analytics benchmark on ${backend}: ${orders} orders over ${days} days, ${generated} events`);
console.log(`\nconsumers (one transaction per event: inbox, event log, read model; ${partitions} partitions handled concurrently):`);
console.log(`  the year, all three together: ${generated} events in ${feedSeconds.toFixed(0)} s = ${(generated / feedSeconds).toFixed(0)} events/s`);
for (const [name, events, rate] of consumerRates) console.log(`  ${name.padEnd(18)} alone: ${String(events).padStart(6)} events, ${rate.toFixed(0).padStart(5)} events/s`);
console.log(`\nKPI queries over the whole range through the gateway (${seconds} s each, closed loop):`);
console.log(`  ${'query'.padEnd(60)} ${'clients'.padStart(7)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`);
for (const [name, concurrency, r] of results) {
  console.log(`  ${name.padEnd(60)} ${String(concurrency).padStart(7)} ${r.perSecond.toFixed(1).padStart(7)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(7)}`);
  if (r.firstError) console.log(`    first error: ${r.firstError}`);
}
console.log(`\nrebuild: ${rebuildSummary}`);
