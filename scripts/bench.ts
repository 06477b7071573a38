/**
 * Load against the gateway: a federated read and createOrder, each for a fixed time, printing
 * requests/s and latency percentiles. Uses the graph at --url when one answers there; otherwise
 * starts the embedded graph in a child process (fresh data) and stops it afterwards.
 *   npm run bench [-- --url http://127.0.0.1:4000/graphql --seconds 10 --concurrency 16 --scenario read|create|all]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlClient } from './demo/steps.ts';
import { runLoad, type LoadResult } from './bench/load.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'bench',
  summary: 'Load against the gateway (a federated read and createOrder): requests/s and latency percentiles. Starts the embedded graph when none answers at --url.',
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql', value: 'url', description: 'the gateway to load' },
    seconds: { type: 'number', default: 10, min: 1, description: 'how long each scenario runs' },
    concurrency: { type: 'number', default: 16, integer: true, min: 1, description: 'requests in flight' },
    scenario: { type: 'string', default: 'all', choices: ['read', 'create', 'all'], description: 'which scenario' },
  },
});
const { url, seconds, concurrency, scenario } = options;
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

const answers = async () => (await fetch(new URL('/health/ready', url)).catch(() => undefined))?.ok === true;

let child: ChildProcess | undefined;
let dataDir: string | undefined;
if (!(await answers())) {
  dataDir = await mkdtemp(join(tmpdir(), 'vt-bench-'));
  const port = new URL(url).port || '4000';
  log(`no graph at ${url}; starting the embedded graph (data in ${dataDir})…`);
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    // One client at full speed would measure the rate limiter, not the graph.
    env: { ...process.env, DATA_DIR: dataDir, GATEWAY_PORT: port, LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_SECOND: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  while (!(await answers())) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the embedded graph did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
}

try {
  const gql = graphqlClient(url);
  const login = await gql('mutation { login(email: "dispatcher@demo.test", password: "voidtracker") { accessToken } }');
  const token: string = login.data.login.accessToken;
  const input = {
    pickup: { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
    dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 },
    parcels: [{ weightKg: 2.5 }],
  };
  const create = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }';
  const orderId: string = (await gql(create, { input }, token)).data.createOrder.id;
  const headers = { authorization: `Bearer ${token}` };
  const noErrors = (_status: number, body: string) => (body.includes('"errors"') ? body.slice(0, 200) : undefined);

  const scenarios: Array<[string, () => string]> = [
    [
      'federated read: order { customer { email organization { name } } }',
      () => JSON.stringify({ query: 'query($id: ID!) { order(id: $id) { id status customer { email organization { name } } } }', variables: { id: orderId } }),
    ],
    ['createOrder', () => JSON.stringify({ query: create, variables: { input } })],
  ];
  const chosen = scenarios.filter(([name]) => scenario === 'all' || (scenario === 'read' ? name.startsWith('federated') : name === 'createOrder'));

  const results: Array<[string, LoadResult]> = [];
  for (const [name, body] of chosen) {
    log(`warming up ${name}…`);
    await runLoad({ url, concurrency, seconds: Math.min(2, seconds), body, headers });
    log(`measuring ${name} for ${seconds} s at concurrency ${concurrency}…`);
    results.push([name, await runLoad({ url, concurrency, seconds, body, headers, check: noErrors })]);
  }

  console.log(`\nVoidTracker gateway benchmark: ${url}, ${concurrency} concurrent clients, ${seconds} s each`);
  console.log(`${'scenario'.padEnd(66)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`);
  for (const [name, r] of results) {
    console.log(`${name.padEnd(66)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)}`);
    if (r.firstError) console.log(`  first error: ${r.firstError}`);
  }
} finally {
  if (child) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    await rm(dataDir!, { recursive: true, force: true });
  }
}
