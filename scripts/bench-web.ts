/**
 * The tracking page in a real browser (Debian's Chromium, the built app at /app): how long from
 * a stop's completion until the customer's page shows DELIVERED with its proof of delivery, over graphql-sse. N orders
 * (default 20) go on one route; for each, the page is opened, and once its stream is open the
 * driver completes the stop. Measured: the completeStop call sent → the page's DOM saying
 * DELIVERED and showing who took the parcels, so it covers the mutation, outbox relay, bus, gateway feed, federated query, SSE and
 * React's render. Graph, gateway and browser share this machine.
 *   npm run bench:web [-- --tries 20]
 */
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { percentile } from '../subgraphs/platform/events/testing/bench.ts';
import { orderInput, startTestGraph } from '../gateway/testing/harness.ts';
import { launchChromium } from '../examples/web/e2e/browser.ts';
import { build } from './web.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'bench:web',
  summary: "The tracking page in Chromium: a stop's completion until the page shows DELIVERED, over graphql-sse.",
  options: { tries: { type: 'number', default: 20, integer: true, min: 1, description: 'orders, one page each' } },
});
const TRIES = options.tries;
if (!Number.isInteger(TRIES) || TRIES < 1) throw new Error('--tries must be a whole number ≥ 1');
const log = (msg: string) => process.stderr.write(`bench:web: ${msg}\n`);

build();
log('starting the embedded graph');
const g = await startTestGraph('pglite');
const browser = await launchChromium();
try {
  const token = (who: string) => g.login(`${who}@demo.test`);
  const ok = async (as: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await g.gql(query, variables, await token(as));
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const depot = (await ok('dispatcher', 'mutation($i: CreateDepotInput!) { createDepot(input: $i) { id } }', {
    i: { name: 'Bench', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
  })).createDepot.id;
  await ok('dispatcher', 'mutation($i: CreateVehicleInput!) { createVehicle(input: $i) { id } }', {
    i: { name: 'Bench van', plate: 'B-BENCH-1', capacityKg: 1000, shiftStart: '06:00', shiftEnd: '22:00', costPerKm: '0.85', homeDepotId: depot },
  });
  const orders: string[] = [];
  for (let i = 0; i < TRIES; i++) {
    const dropoff = { line1: `Am Kanal ${i + 1}`, city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989 + i * 0.001, lon: 13.0657 };
    orders.push((await ok('customer', 'mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: orderInput({ dropoff }) })).createOrder.id);
  }
  await eventually('the orders in the pool', async () => {
    const pool = (await ok('dispatcher', 'query { planningPool(first: 100) { edges { node { order { id } } } } }')).planningPool.edges.map((e: { node: { order: { id: string } } }) => e.node.order.id);
    return orders.every((id) => pool.includes(id));
  });
  const plan = (await ok('dispatcher', 'mutation($d: ID!, $day: String!) { planDay(depotId: $d, date: $day, timeLimitSeconds: 1) { routes { id stops { id order { id } } } unserved { order { id } } } }', { d: depot, day })).planDay;
  if (plan.unserved.length || plan.routes.length !== 1) throw new Error(`expected one route for all orders: ${JSON.stringify(plan)}`);
  const route = plan.routes[0];
  const driver = (await ok('dispatcher', 'query { drivers(first: 20) { edges { node { id name } } } }')).drivers.edges.find((e: { node: { name: string } }) => e.node.name === 'Dee Driver').node.id;
  await eventually('the driver assigned', async () => !(await g.gql('mutation($r: ID!, $u: ID!) { assignDriver(routeId: $r, driverId: $u) { id } }', { r: route.id, u: driver }, await token('dispatcher'))).errors);
  await ok('driver', 'mutation($r: ID!) { startRoute(routeId: $r) { id } }', { r: route.id });

  const page = await (await browser.newContext()).newPage();
  const origin = new URL(g.url).origin;
  await page.goto(`${origin}/app/`);
  await page.getByLabel('Email').fill('customer@demo.test');
  await page.getByLabel('Password').fill('voidtracker');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user').waitFor();
  const driverToken = await token('driver');
  const samples: number[] = [];
  for (const stop of route.stops as Array<{ id: string; order: { id: string } }>) {
    const streamOpen = page.waitForResponse((r) => r.url().endsWith('/graphql/stream'));
    await page.goto(`${origin}/app/track/${stop.order.id}`);
    await page.getByTestId('order-status').filter({ hasText: 'IN_TRANSIT' }).waitFor();
    await streamOpen;
    const started = performance.now();
    const done = g.gql('mutation($s: ID!) { completeStop(stopId: $s, proof: { recipientName: "Bench" }) { status } }', { s: stop.id }, driverToken);
    await page.getByTestId('order-status').filter({ hasText: 'DELIVERED' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('proof-recipient').filter({ hasText: 'Bench' }).waitFor({ timeout: 30_000 });
    samples.push(performance.now() - started);
    if ((await done).errors) throw new Error('completeStop failed');
  }
  samples.sort((a, b) => a - b);
  console.log(`tracking page shows DELIVERED and its proof after completeStop, ${samples.length} tries: p50 ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms, max ${samples.at(-1)!.toFixed(0)} ms`);
} finally {
  await browser.close();
  await g.close();
}
