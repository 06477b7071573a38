/**
 * Event latency and throughput, end to end through the real graph, on the bus and on Kafka:
 * N orders are created through the orders subgraph by concurrent clients; each OrderCreated goes
 * through the orders outbox and its relay to the transport, and a benchmark consumer group records
 * when it receives it. Latency = receipt − the envelope's `time` (set in the order's transaction),
 * so it covers commit → relay → transport → consumer: one hop. Then the pure transport figures
 * of `benchmarkTransport` on the same transport.
 *   npx tsx scripts/bench-events.ts [--orders 2000] [--concurrency 8] [--warmup 50]
 *       [--transport bus|kafka|all] [--events 5000]
 *   npm run bench:events -- --stack [--orders 500] [--concurrency 8 | --rate 10] [--profile <dir>]: instead, the hop
 *       between processes in `npm run stack`, order committed → billing's quote, with the CPU each
 *       process spent per order and how many orders were served or refused, by code
 *       (scripts/bench/billing-hop.ts). --rate sends orders on a fixed schedule (open loop) so the
 *       latency is read at a known load.
 *   npm run bench:events -- --stack --closed-loop [--step-orders 200] [--max-concurrency 64]: the most
 *       orders/s the stack sustains with order → quote p95 under 150 ms (clients doubling per step).
 *   --idle <seconds> with --stack: first, the CPU each process uses while nothing is requested.
 * Whatever way a run ends (an error, Ctrl+C, a kill), what it started is stopped (scripts/bench/exit-cleanup.ts).
 * Kafka: the broker of KAFKA_BROKERS, or one started here (needs Java; see docs/kafka-broker.md).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { orderBurst, ordersUrl } from '../gateway/testing/faults/orders.ts';
import { injectPublishFault } from '../gateway/testing/faults/transport-faults.ts';
import { startTestGraph, type TestGraph } from '../gateway/testing/harness.ts';
import { benchmarkTransport, percentile, type BenchResult } from '../subgraphs/platform/events/testing/bench.ts';
import { acquireBroker, brokerSource } from './kafka/harness.ts';
import { OrderCreated } from '../subgraphs/orders/events/contracts.ts';
import { findClosedLoopMaximum, measureBillingHop, type IdleCpu, type Outcomes } from './bench/billing-hop.ts';
import { failBench, onBenchExit } from './bench/exit-cleanup.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
};
const count = (name: string, fallback: number) => {
  const n = Number(arg(name, String(fallback)));
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`bench-events: --${name} must be a whole number\n`);
    process.exit(2);
  }
  return n;
};
const ORDERS = Math.max(1, count('orders', 2_000));
const CONCURRENCY = Math.max(1, count('concurrency', 8));
const WARMUP = count('warmup', 50);
const EVENTS = Math.max(1, count('events', 5_000));
const which = arg('transport', 'all');
if (!['bus', 'kafka', 'all'].includes(which)) {
  process.stderr.write('bench-events: --transport is bus, kafka or all\n');
  process.exit(2);
}
const log = (msg: string) => process.stderr.write(`bench-events: ${msg}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

const stackRun = async () => {
  const rate = Number(arg('rate', '0'));
  if (!(rate >= 0)) {
    process.stderr.write('bench-events: --rate is orders per second\n');
    process.exit(2);
  }
  const profileDir = process.argv.includes('--profile') ? resolve(arg('profile', 'profiles')) : undefined;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : undefined;
  const idleSeconds = count('idle', 0);
  const showIdle = (idle: IdleCpu | undefined) => {
    if (!idle) return;
    const total = Object.values(idle).reduce((a, b) => a + b, 0);
    console.log(`idle for ${idleSeconds} s, % of one core: ${Object.entries(idle).sort((a, b) => b[1] - a[1]).map(([n, p]) => `${n} ${p}`).join(', ')}; all ${Math.round(total * 10) / 10} (aim: under 2, ${total < 2 ? 'met' : 'NOT met'})`);
  };
  if (process.argv.includes('--closed-loop')) {
    const search = await findClosedLoopMaximum({
      stepOrders: Math.max(1, count('step-orders', 200)),
      maxConcurrency: Math.max(1, count('max-concurrency', 64)),
      aimP95Ms: 150,
      warmup: WARMUP,
      idleSeconds,
      ...(nodeArgs ? { nodeArgs } : {}),
      log,
    });
    console.log(`\nnpm run stack, closed loop (clients doubling; ${arg('step-orders', '200')} orders per step): order committed → billing's quote`);
    for (const step of search.steps) {
      const l = step.latencyMs;
      console.log(`  ${String(step.concurrency).padStart(3)} clients: ${step.servedPerSecond} orders/s, p50 ${l.p50} ms, p95 ${l.p95} ms, max ${l.max} ms; ${outcomesLine(step.outcomes)}`);
    }
    showIdle(search.idle);
    console.log(`Closed-loop maximum: ${search.maxOrdersPerSecond} orders/s with p95 under ${search.aimP95Ms} ms (aim: at least 80, ${search.maxOrdersPerSecond >= 80 ? 'met' : 'NOT met'})`);
    return;
  }
  const hop = await measureBillingHop({ orders: Math.max(1, count('orders', 500)), concurrency: CONCURRENCY, ...(rate ? { rate } : {}), ...(nodeArgs ? { nodeArgs } : {}), warmup: WARMUP, idleSeconds, log });
  showIdle(hop.idle);
  if (profileDir) log(`CPU profiles in ${profileDir}`);
  const l = hop.latencyMs;
  console.log(`\nnpm run stack, ${rate ? `orders sent at ${rate}/s` : `${CONCURRENCY} clients`}: ${hop.orders} orders at ${round(hop.createdPerSecond)}/s`);
  console.log(`answers: ${outcomesLine(hop.outcomes)}`);
  const internal = hop.outcomes.refused.INTERNAL_SERVER_ERROR ?? 0;
  console.log(`(aim: every order served or refused as SERVICE_OVERLOADED, none INTERNAL_SERVER_ERROR: ${internal ? 'NOT met' : 'met'})`);
  console.log(`CPU ms per served order: ${Object.entries(hop.cpuMsPerOrder).sort((a, b) => b[1] - a[1]).map(([n, ms]) => `${n} ${ms}`).join(', ')}`);
  const cpuTotal = Object.values(hop.cpuMsPerOrder).reduce((a, b) => a + b, 0);
  console.log(`CPU ms per served order, all processes: ${Math.round(cpuTotal * 10) / 10} (aim: under 20 ms, ${cpuTotal < 20 ? 'met' : 'NOT met'})`);
  if (Object.keys(hop.commitsPerOrder).length) {
    console.log(`database commits per served order: ${Object.entries(hop.commitsPerOrder).sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${c}`).join(', ')}`);
  }
  console.log(`order committed → billing's quote (served orders): p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms (aim: p95 under 150 ms, ${l.p95 < 150 ? 'met' : 'NOT met'})`);
};

/** "served 940, refused 60 (SERVICE_OVERLOADED 60)". */
const outcomesLine = (o: Outcomes) => {
  const refused = Object.entries(o.refused).sort((a, b) => b[1] - a[1]);
  const total = refused.reduce((n, [, c]) => n + c, 0);
  return `served ${o.served}, refused ${total}${total ? ` (${refused.map(([code, c]) => `${code} ${c}`).join(', ')})` : ''}`;
};

if (process.argv.includes('--stack')) {
  // Every exit path (a failure, Ctrl+C, a kill) stops the stack: scripts/bench/exit-cleanup.ts.
  await stackRun().catch(failBench);
  process.exit(0);
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const percentiles = (values: number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
};

interface EndToEnd {
  orders: number;
  /** Envelope time (in the order's transaction) → receipt by the consumer group. */
  latencyMs: Percentiles;
  /** Of which: envelope time → the relay's publish call (commit, relay wake-up, outbox read). */
  outboxMs: Percentiles;
  /** Of which: publish call → receipt (the transport hop). */
  transportMs: Percentiles;
  /** Orders created per second by the clients. */
  createdPerSecond: number;
  /** OrderCreated received per second, first order's event time to the last receipt. */
  eventsPerSecond: number;
}

async function endToEnd(g: TestGraph, token: string): Promise<EndToEnd> {
  const arrivals = new Map<string, { sentAt: number; receivedAt: number }>();
  // A pass-through around the relay's publish call: when each event left the outbox.
  const published = new Map<string, number>();
  const restore = injectPublishFault(g.graph.transport, [OrderCreated.topic], (topic, records, original) => {
    const at = Date.now();
    for (const r of records) if (!published.has(r.envelope.subject)) published.set(r.envelope.subject, at);
    return original(topic, records);
  });
  const group = `bench-events-${Date.now().toString(36)}`;
  const subscription = await g.graph.transport.subscribe({
    group,
    topics: [OrderCreated.topic],
    handle: async (envelope) => {
      const receivedAt = Date.now();
      if (envelope.type !== OrderCreated.type || arrivals.has(envelope.subject)) return;
      arrivals.set(envelope.subject, { sentAt: Date.parse(envelope.time), receivedAt });
    },
  });
  const url = ordersUrl(g);
  try {
    const waitFor = async (ids: Iterable<string>, what: string, timeoutMs = 180_000) => {
      const wanted = [...ids];
      const deadline = Date.now() + timeoutMs;
      let shownAt = Date.now();
      for (;;) {
        const got = wanted.filter((id) => arrivals.has(id)).length;
        if (got === wanted.length) return;
        if (Date.now() > deadline) throw new Error(`only ${got} of ${wanted.length} ${what} arrived within ${timeoutMs} ms`);
        if (Date.now() - shownAt > 2_000) {
          shownAt = Date.now();
          log(`  ${got}/${wanted.length} ${what} received`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    if (WARMUP) {
      log(`  warm-up: ${WARMUP} orders`);
      await waitFor((await orderBurst(g, token, { orders: WARMUP, concurrency: CONCURRENCY, url })).keys(), 'warm-up events');
    }
    log(`  creating ${ORDERS} orders with ${CONCURRENCY} clients…`);
    const step = Math.max(1, Math.round(ORDERS / 8));
    const start = performance.now();
    const created = await orderBurst(g, token, {
      orders: ORDERS,
      concurrency: CONCURRENCY,
      url,
      onOrder: (done) => {
        if (done % step === 0) log(`  ${done}/${ORDERS} orders created`);
      },
    });
    const createSeconds = (performance.now() - start) / 1000;
    await waitFor(created.keys(), 'OrderCreated events');
    const measured = [...created.keys()].map((id) => ({ ...arrivals.get(id)!, publishedAt: published.get(id) ?? Number.NaN }));
    const firstSent = Math.min(...measured.map((a) => a.sentAt));
    const lastReceived = Math.max(...measured.map((a) => a.receivedAt));
    return {
      orders: ORDERS,
      latencyMs: percentiles(measured.map((a) => a.receivedAt - a.sentAt)),
      outboxMs: percentiles(measured.map((a) => a.publishedAt - a.sentAt)),
      transportMs: percentiles(measured.map((a) => a.receivedAt - a.publishedAt)),
      createdPerSecond: Math.round(ORDERS / createSeconds),
      eventsPerSecond: Math.round(ORDERS / ((lastReceived - firstSent) / 1000)),
    };
  } finally {
    restore();
    await subscription.close();
  }
}

interface Row {
  transport: 'bus' | 'kafka';
  e2e: EndToEnd;
  pure: BenchResult;
}

async function benchOne(kind: 'bus' | 'kafka'): Promise<Row | string> {
  let stopBroker = async () => {};
  const env: Record<string, string> = { LOG_LEVEL: 'error' };
  if (kind === 'kafka') {
    const source = await brokerSource();
    if (source.missing) return `Kafka skipped: ${source.missing}`;
    log(source.external.length ? `kafka: using ${source.external.join(',')}` : 'kafka: starting a broker…');
    const broker = await acquireBroker(source);
    const forget = onBenchExit('the Kafka broker', broker.stop);
    stopBroker = async () => {
      forget();
      await broker.stop();
    };
    env.KAFKA_BROKERS = broker.brokers.join(',');
  }
  let g: TestGraph | undefined;
  let forgetGraph = () => {};
  try {
    log(`${kind}: starting the graph…`);
    g = await startTestGraph('pglite', env);
    const graph = g;
    forgetGraph = onBenchExit('the graph', () => graph.close());
    const token = await g.login('dispatcher@demo.test');
    log(`${kind}: end to end (orders outbox → ${kind} → consumer group)`);
    const e2e = await endToEnd(g, token);
    log(`${kind}: pure transport (benchmarkTransport, ${EVENTS} events)…`);
    const pure = await benchmarkTransport({ transport: g.graph.transport, events: EVENTS });
    return { transport: kind, e2e, pure };
  } finally {
    forgetGraph();
    await g?.close();
    await stopBroker();
  }
}

const rows: Row[] = [];
const notes: string[] = [];
for (const kind of which === 'all' ? (['bus', 'kafka'] as const) : [which as 'bus' | 'kafka']) {
  const result = await benchOne(kind).catch(failBench);
  if (typeof result === 'string') {
    notes.push(result);
    log(result);
  } else rows.push(result);
}

const pad = (cells: Array<string | number>, widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
const e2eHead = ['transport', 'orders', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'created/s', 'events/s'];
const pureHead = ['transport', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'events', 'events/s'];
const widths = [9, 8, 8, 8, 8, 8, 9, 9];
console.log(`\nEnd to end: OrderCreated, outbox → consumer group (${CONCURRENCY} clients, envelope time → receipt)`);
console.log(pad(e2eHead, widths));
for (const r of rows) {
  const l = r.e2e.latencyMs;
  console.log(pad([r.transport, r.e2e.orders, l.p50, l.p95, l.p99, l.max, r.e2e.createdPerSecond, r.e2e.eventsPerSecond], widths));
}
console.log('\n  of which: envelope time → relay publish call (outbox) | publish call → receipt (transport hop)');
console.log(pad(['transport', 'part', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], widths));
for (const r of rows) {
  for (const [part, l] of [['outbox', r.e2e.outboxMs], ['hop', r.e2e.transportMs]] as const) {
    console.log(pad([r.transport, part, l.p50, l.p95, l.p99, l.max], widths));
  }
}
console.log('\nPure transport: benchmarkTransport (publish → handler; throughput in batches of 100)');
console.log(pad(pureHead, widths));
for (const r of rows) {
  const l = r.pure.latencyMs;
  console.log(pad([r.transport, l.samples, round(l.p50, 2), round(l.p95, 2), round(l.p99, 2), round(l.max, 2), r.pure.throughput.events, r.pure.throughput.eventsPerSecond], widths));
}
const kafka = rows.find((r) => r.transport === 'kafka');
if (kafka) {
  const hop = kafka.e2e.transportMs.p95;
  console.log(
    `\nAim: p95 under 50 ms per hop on Kafka: transport hop p95 ${hop} ms (${hop < 50 ? 'met' : 'NOT met'}), ` +
      `outbox → consumer p95 ${kafka.e2e.latencyMs.p95} ms (${kafka.e2e.latencyMs.p95 < 50 ? 'met' : 'NOT met'}).`,
  );
}
for (const n of notes) console.log(n);
