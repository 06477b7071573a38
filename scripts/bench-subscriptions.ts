/**
 * Live subscriptions under fan-out: N concurrent SSE subscribers (default 1,000) spread over K
 * orders, each watching `orderUpdated { id status updatedAt }`. Every order is then cancelled
 * through the gateway, which the orders outbox turns into events; the gateway's feed runs one
 * query per (subscriber credentials, selection) and pushes the answer to each of the order's
 * subscribers. Reported: pushes/s fanned out, and latency = arrival at the client − the order's
 * updatedAt (set in the cancelling transaction), so it covers commit → outbox relay → transport →
 * gateway feed → federated query → SSE write → client. Graph, gateway and clients share this one
 * process (the embedded graph on the bus, PGlite in memory).
 *   npm run bench:subscriptions [-- --subscribers 1000] [--orders 20]
 */
import { performance } from 'node:perf_hooks';
import { orderInput, startTestGraph } from '../gateway/testing/harness.ts';
import { sseSubscribe, type SseSubscription } from '../gateway/testing/live-sse.ts';
import { percentile } from '../subgraphs/platform/events/testing/bench.ts';
import { paint, table, wantsColour } from './lib/cli.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'bench:subscriptions',
  summary: 'Live subscriptions under fan-out: SSE subscribers spread over orders that are then cancelled; pushes/s and commit-to-client latency.',
  options: {
    subscribers: { type: 'number', default: 1_000, integer: true, min: 1, description: 'concurrent SSE subscribers' },
    orders: { type: 'number', default: 20, integer: true, min: 1, description: 'orders they watch (at most one per subscriber)' },
  },
});
const SUBSCRIBERS = options.subscribers;
const ORDERS = Math.min(options.orders, SUBSCRIBERS);
const log = (msg: string) => process.stderr.write(`bench:subscriptions: ${msg}\n`);
const colour = wantsColour();

const TRACK = 'subscription($id: ID!) { orderUpdated(id: $id) { id status updatedAt } }';

log('starting the embedded graph');
const g = await startTestGraph('pglite', { GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS: '60' });
let failed = false;
try {
  const [customer, dispatcher] = await Promise.all([g.login('customer@demo.test'), g.login('dispatcher@demo.test')]);
  const orderIds: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const res = await g.gql<{ createOrder: { id: string } }>('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, customer);
    if (!res.data?.createOrder) throw new Error(`createOrder failed: ${JSON.stringify(res.errors)}`);
    orderIds.push(res.data.createOrder.id);
  }
  log(`${ORDERS} orders created; opening ${SUBSCRIBERS} SSE subscriptions`);

  const stream = `${g.url}/stream`;
  const subs: Array<{ orderId: string; sub: SseSubscription }> = [];
  const opening = performance.now();
  for (let i = 0; i < SUBSCRIBERS; i += 100) {
    const batch = Array.from({ length: Math.min(100, SUBSCRIBERS - i) }, (_, j) => orderIds[(i + j) % ORDERS]!);
    const opened = await Promise.all(batch.map(async (orderId) => ({ orderId, sub: await sseSubscribe(stream, TRACK, { id: orderId }, { authorization: `Bearer ${customer}` }) })));
    const refused = opened.find((o) => o.sub.status !== 200);
    if (refused) throw new Error(`subscription refused: ${refused.sub.status} ${JSON.stringify(refused.sub.refusal)}`);
    subs.push(...opened);
    log(`  ${subs.length}/${SUBSCRIBERS} open`);
  }
  const openMs = performance.now() - opening;

  // Latency is read against the wall clock the database stamped updatedAt with (same machine).
  const latencies: number[] = [];
  let lastAt = 0;
  for (const { sub } of subs) {
    sub.onPush = (result) => {
      const order = (result.data as { orderUpdated?: { updatedAt: string } } | undefined)?.orderUpdated;
      if (order) latencies.push(Date.now() - Date.parse(order.updatedAt));
      lastAt = performance.now();
    };
  }
  // All at once: the fan-out, not the mutations' pace, should be what limits pushes/s.
  log(`cancelling ${ORDERS} orders at once`);
  const started = performance.now();
  await Promise.all(
    orderIds.map(async (id) => {
      const res = await g.gql('mutation($id: ID!) { cancelOrder(id: $id, reason: "bench") { id } }', { id }, dispatcher);
      if (res.errors) throw new Error(`cancelOrder failed: ${JSON.stringify(res.errors)}`);
    }),
  );
  log(`  cancelled; ${latencies.length}/${SUBSCRIBERS} pushes so far`);
  const deadline = Date.now() + 60_000;
  let reported = 0;
  while (latencies.length < SUBSCRIBERS && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    if (latencies.length - reported >= SUBSCRIBERS / 4) log(`  ${(reported = latencies.length)}/${SUBSCRIBERS} pushes`);
  }
  const seconds = (lastAt - started) / 1000;

  const missing = subs.filter(({ sub }) => !sub.pushes.some((p) => (p.result.data as { orderUpdated?: { status: string } }).orderUpdated?.status === 'CANCELLED')).length;
  const extra = subs.reduce((n, { sub }) => n + Math.max(0, sub.pushes.length - 1), 0);
  latencies.sort((a, b) => a - b);
  const ms = (p: number) => String(Math.round(percentile(latencies, p)));
  console.log(`\nbench:subscriptions, ${SUBSCRIBERS} SSE subscribers over ${ORDERS} orders (${(openMs / 1000).toFixed(1)} s to open them)`);
  for (const line of table(
    ['subscribers', 'orders changed', 'pushes', 'seconds', 'pushes/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    [[String(SUBSCRIBERS), String(ORDERS), String(latencies.length), seconds.toFixed(2), (latencies.length / seconds).toFixed(0), ms(50), ms(95), ms(99), String(latencies.at(-1) ?? 0)]],
  )) {
    console.log(line);
  }
  failed = missing > 0 || extra > 0;
  console.log(
    missing || extra
      ? paint(`FAIL: ${missing} subscribers did not receive CANCELLED, ${extra} pushes beyond one per subscriber`, 'fail', colour)
      : paint('PASS: every subscriber received its order\'s change exactly once', 'pass', colour),
  );
  for (const { sub } of subs) sub.close();
} finally {
  log('closing the graph');
  await g.close();
}
process.exit(failed ? 1 : 0);
