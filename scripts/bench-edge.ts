/**
 * The cost of the gateway's edge: one federated read through the full edge (limits, rate limit,
 * APQ, partner keys and safelists, CORS, metrics) and through a bare @apollo/gateway over the same
 * subgraphs, in one run, alternating rounds so both see the same machine; then the persisted-query
 * paths against free text.
 *   npm run bench:edge [-- --seconds 5 --rounds 3 --concurrency 8]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { manifestIds } from '../examples/partner-shop/client.ts';
import { graphqlClient } from './demo/steps.ts';
import { runLoad, type LoadResult } from './bench/load.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'bench:edge',
  summary: "The cost of the gateway's edge: a federated read through the full edge against a bare @apollo/gateway, then persisted queries against free text.",
  options: {
    seconds: { type: 'number', default: 5, min: 1, description: 'how long each round runs' },
    rounds: { type: 'number', default: 3, integer: true, min: 1, description: 'alternating rounds per gateway' },
    concurrency: { type: 'number', default: 8, integer: true, min: 1, description: 'requests in flight' },
  },
});
const { seconds, rounds, concurrency } = options;
const log = (msg: string) => process.stderr.write(`bench:edge: ${msg}\n`);

log('starting the embedded graph and a bare gateway beside it…');
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/edge-graph.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await new Promise<{ edge: string; bare: string }>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the graph exited (${code})`)));
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { edge: string; bare: string }));
});

try {
  const gql = graphqlClient(ready.edge);
  const dispatcher: string = (await gql('mutation { login(email: "dispatcher@demo.test", password: "voidtracker") { accessToken } }')).data.login.accessToken;
  const admin: string = (await gql('mutation { login(email: "admin@demo.test", password: "voidtracker") { accessToken } }')).data.login.accessToken;
  const input = {
    pickup: { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
    dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 },
    parcels: [{ weightKg: 2.5 }],
  };
  const orderId: string = (await gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input }, dispatcher)).data.createOrder.id;

  // A partner key, and an order of the partner's own to track by id.
  const created = await gql('mutation { createApiKey(input: { clientName: "shop", roles: [PARTNER] }) { secret } }', {}, admin);
  const apiKey: string = created.data.createApiKey.secret;
  const ids = manifestIds('persisted-queries/shop.json');
  const byId = (name: string, variables: Record<string, unknown>) =>
    JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: ids[name] } } });
  const partnerHeaders = { 'x-api-key': apiKey };
  const shopOrder = await fetch(ready.edge, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...partnerHeaders },
    body: byId('ShopCreateOrder', { input }),
  }).then((r) => r.json() as Promise<{ data: { createOrder: { id: string } } }>);
  const shopOrderId = shopOrder.data.createOrder.id;

  const read = 'query Read($id: ID!) { order(id: $id) { id status customer { email organization { name } } } }';
  const hash = createHash('sha256').update(read).digest('hex');
  const bearer = { authorization: `Bearer ${dispatcher}` };
  const free = () => JSON.stringify({ query: read, variables: { id: orderId } });
  // Register the APQ hash once; afterwards the requests carry the hash only.
  await fetch(ready.edge, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer }, body: JSON.stringify({ query: read, variables: { id: orderId }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }) });
  const apq = () => JSON.stringify({ variables: { id: orderId }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
  const noErrors = (status: number, body: string) => (status !== 200 || body.includes('"errors"') ? `${status} ${body.slice(0, 200)}` : undefined);

  const scenarios: Array<{ name: string; url: string; body: () => string; headers: Record<string, string> }> = [
    { name: 'bare @apollo/gateway, free text', url: ready.bare, body: free, headers: bearer },
    { name: 'edge, free text', url: ready.edge, body: free, headers: bearer },
    { name: 'edge, APQ (hash only)', url: ready.edge, body: apq, headers: bearer },
    { name: 'edge, partner key + safelist id (ShopTrackOrder)', url: ready.edge, body: () => byId('ShopTrackOrder', { id: shopOrderId }), headers: partnerHeaders },
  ];
  const all = new Map<string, LoadResult[]>(scenarios.map((s) => [s.name, []]));
  for (const s of scenarios) await runLoad({ url: s.url, concurrency, seconds: 1, body: s.body, headers: s.headers });
  for (let round = 1; round <= rounds; round++) {
    for (const s of scenarios) {
      log(`round ${round}/${rounds}: ${s.name}, ${seconds} s at concurrency ${concurrency}`);
      all.get(s.name)!.push(await runLoad({ url: s.url, concurrency, seconds, body: s.body, headers: s.headers, check: noErrors }));
    }
  }

  // Per scenario: the median round by throughput, so one disturbed round does not decide.
  const median = (results: LoadResult[]) => [...results].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(results.length / 2)]!;
  console.log(`\nThe cost of the edge: ${rounds} alternating rounds of ${seconds} s, ${concurrency} concurrent clients, median round shown`);
  console.log(`${'path'.padEnd(52)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`);
  for (const s of scenarios) {
    const r = median(all.get(s.name)!);
    console.log(`${s.name.padEnd(52)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)}`);
    if (r.firstError) console.log(`  first error: ${r.firstError}`);
  }
  const bare = median(all.get(scenarios[0]!.name)!);
  const edge = median(all.get(scenarios[1]!.name)!);
  console.log(`\nedge overhead on the same read: ${(((bare.perSecond - edge.perSecond) / bare.perSecond) * 100).toFixed(1)}% fewer requests/s, p95 ${(edge.p95 - bare.p95).toFixed(2)} ms more (aim: under 10%)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
