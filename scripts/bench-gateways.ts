/**
 * Our gateway against what users would pick instead, over the same subgraph processes and the
 * same committed supergraph, in one run: a stock @apollo/gateway and Hive Gateway. Rounds
 * alternate between the gateways so each sees the same machine; the answers are compared first,
 * so a faster wrong answer cannot win.
 *   npm run bench:gateways [-- --graph stack|embedded|running] [--seconds 10] [--rounds 2]
 *                            [--concurrency 16] [--orders 60] [--profile <dir>]
 * stack (default): `npm run stack` (a process per subgraph, PostgreSQL, Kafka) on ports and
 * databases of its own, dropped afterwards. embedded: `npm start`'s one process on PGlite, plus
 * our gateway in a process of its own like the others. running: the graph already on the default
 * ports (4000-4006). --profile writes a V8 CPU profile of every process into <dir>.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLoad, type LoadResult } from './bench/load.ts';
import { startGraphUnderTest, type GraphMode } from './bench/graph-under-test.ts';
import { cpuSeconds, freePort, processTree, spawnTs, typenameProbe, waitReady, type Child } from './bench/processes.ts';
import { seedBoard, SCENARIOS } from './bench/gateway-scenarios.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'bench:gateways',
  summary: 'Our gateway against a stock @apollo/gateway and Hive Gateway over the same subgraphs, in alternating rounds; answers compared first.',
  options: {
    graph: { type: 'string', default: 'stack', choices: ['stack', 'embedded', 'running'], description: 'which subgraphs to put the gateways in front of' },
    seconds: { type: 'number', default: 10, min: 1, description: 'how long each round runs' },
    rounds: { type: 'number', default: 2, integer: true, min: 1, description: 'rounds per gateway' },
    concurrency: { type: 'number', default: 16, integer: true, min: 1, description: 'requests in flight' },
    orders: { type: 'number', default: 60, integer: true, min: 1, description: 'orders seeded for the board scenario' },
    profile: { type: 'string', value: 'dir', description: 'write CPU profiles of each gateway here' },
  },
});
const graphMode = options.graph as GraphMode;
const { seconds, rounds, concurrency } = options;
const orderCount = options.orders;
const profileDir = options.profile !== undefined ? resolve(options.profile) : undefined;
const log = (msg: string) => process.stderr.write(`bench:gateways: ${msg}\n`);
if (!(orderCount >= 1 && orderCount <= 100)) throw new Error('--orders: 1 to 100 (one page of the board)');
if (!['stack', 'embedded', 'running'].includes(graphMode)) throw new Error(`--graph: stack, embedded or running, not ${graphMode}`);

const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const children: Child[] = [];
const cleanups: Array<() => Promise<void>> = [];
interface Contender {
  name: string;
  url: string;
  /** Its own process, whose CPU time is its cost; none when it shares the graph's. */
  pid?: number;
}
/** One round: throughput and latency, and the CPU milliseconds each request cost the gateway and the graph behind it. */
interface Round extends LoadResult {
  gatewayCpuMs: number;
  graphCpuMs: number;
}
const contenders: Contender[] = [];

async function stopAll() {
  // Gateways first, the graph they call last.
  for (const child of children.reverse()) await child.stop();
  for (const cleanup of cleanups) await cleanup().catch(() => {});
}
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

/** The committed supergraph with each subgraph's URL where this run serves it, for the other gateways. */
async function supergraphFor(subgraphs: Record<string, string>): Promise<string> {
  let sdl = await readFile('schemas/supergraph.graphql', 'utf8');
  for (const [name, url] of Object.entries(subgraphs)) {
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${url}$2`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'vt-supergraph-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'supergraph.graphql');
  await writeFile(path, sdl);
  return path;
}

async function startContender(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<Contender> {
  const port = await freePort();
  const child = spawnTs(entry, { ...env, PORT: String(port), GATEWAY_PORT: String(port) }, nodeArgs);
  children.push(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitReady(child, url, typenameProbe);
  return { name, url, pid: child.process.pid! };
}

const results = new Map<string, Round[]>();
const ok = (status: number, body: string) => (status !== 200 || body.includes('"errors"') ? `${status} ${body.slice(0, 300)}` : undefined);
let failed = false;
try {
  const graph = await startGraphUnderTest(graphMode, { nodeArgs, log });
  cleanups.unshift(() => graph.close());
  const supergraph = await supergraphFor(graph.subgraphs);
  const urlsEnv = Object.fromEntries(Object.entries(graph.subgraphs).map(([n, u]) => [`${n.toUpperCase()}_URL`, u]));
  log('starting the gateways…');
  // Ours in a process of its own like the others, so each gateway's CPU time is its own.
  if (graphMode === 'embedded') contenders.push({ name: 'ours, inside npm start', url: graph.gatewayUrl });
  contenders.push(await startContender('ours (gateway/server.ts)', 'gateway/server.ts', { ...graph.env, ...urlsEnv }));
  const env = { ...process.env, SUPERGRAPH_PATH: supergraph };
  contenders.push(await startContender('stock @apollo/gateway', 'scripts/bench/gateways/stock-apollo.ts', env));
  contenders.push(await startContender('Hive Gateway', 'scripts/bench/gateways/hive.ts', env));

  log(`creating ${orderCount} orders, a depot, vans and a planned day…`);
  const data = await seedBoard(graph.gatewayUrl, orderCount, log);

  // The same request to every gateway must give the same answer, or the race means nothing.
  for (const scenario of SCENARIOS) {
    const answers = await Promise.all(
      contenders.map(async (c) => {
        const res = await fetch(c.url, { method: 'POST', headers: { 'content-type': 'application/json', ...data.headers }, body: scenario.body(data, 0) });
        return JSON.stringify(await res.json());
      }),
    );
    const differing = contenders.filter((_, i) => answers[i] !== answers[0]);
    if (answers[0]!.includes('"errors"') || differing.length) {
      failed = true;
      console.log(`answers differ on ${scenario.name}: ${differing.map((c) => c.name).join(', ') || contenders[0]!.name}`);
      contenders.forEach((c, i) => console.log(`  ${c.name}: ${answers[i]!.slice(0, 400)}`));
    } else {
      log(`${scenario.name}: all ${contenders.length} gateways answer the same ${answers[0]!.length} bytes`);
    }
  }

  for (const scenario of SCENARIOS) {
    const load = async (c: Contender, s: number): Promise<Round> => {
      // The graph's processes (without the gateways this script started) and the gateway's own.
      const graphPids = graph.pid ? processTree(graph.pid) : [];
      const before = { gateway: c.pid ? cpuSeconds([c.pid]) : Number.NaN, graph: cpuSeconds(graphPids) };
      let n = 0;
      const r = await runLoad({ url: c.url, concurrency, seconds: s, body: () => scenario.body(data, n++), headers: data.headers, check: ok });
      const perRequest = (now: number, then: number) => ((now - then) * 1000) / Math.max(1, r.requests);
      return { ...r, gatewayCpuMs: c.pid ? perRequest(cpuSeconds([c.pid]), before.gateway) : Number.NaN, graphCpuMs: perRequest(cpuSeconds(graphPids), before.graph) };
    };
    for (const c of contenders) await load(c, Math.min(2, seconds)); // warm-up: JIT, plans, connections
    for (let round = 1; round <= rounds; round++) {
      for (const c of contenders) {
        log(`${scenario.name}, round ${round}/${rounds}: ${c.name}, ${seconds} s at ${concurrency} clients`);
        const key = `${scenario.name}\u0000${c.name}`;
        results.set(key, [...(results.get(key) ?? []), await load(c, seconds)]);
      }
    }
  }

  const best = (rs: Round[]) => [...rs].sort((a, b) => b.perSecond - a.perSecond)[0]!;
  const ms = (v: number) => (Number.isNaN(v) ? '—' : v.toFixed(2)).padStart(9);
  console.log(`\nGateways over the same ${graphMode === 'embedded' ? 'embedded graph (npm start)' : graphMode === 'stack' ? 'stack (npm run stack)' : 'running graph'}: best of ${rounds} alternating round(s) of ${seconds} s, ${concurrency} clients`);
  console.log('gw CPU, graph CPU: CPU milliseconds per request used by the gateway process and by the graph\'s processes behind it');
  for (const scenario of SCENARIOS) {
    console.log(`\n${scenario.name}`);
    console.log(`  ${'gateway'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'gw CPU'.padStart(9)} ${'graph CPU'.padStart(9)}`);
    for (const c of contenders) {
      const r = best(results.get(`${scenario.name}\u0000${c.name}`)!);
      console.log(`  ${c.name.padEnd(28)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)} ${ms(r.gatewayCpuMs)} ${ms(r.graphCpuMs)}`);
      if (r.errors) {
        failed = true;
        console.log(`    first error: ${r.firstError}`);
      }
    }
    const ours = best(results.get(`${scenario.name}\u0000ours (gateway/server.ts)`)!);
    const hive = best(results.get(`${scenario.name}\u0000Hive Gateway`)!);
    console.log(`  ours/Hive: ${(ours.perSecond / hive.perSecond).toFixed(2)} (req/s)`);
  }
  console.log(failed ? '\nFAILED: see the differing answers or errors above.' : `\nanswers identical across all ${contenders.length} gateways`);
} catch (error) {
  failed = true;
  console.error(`bench:gateways: ${(error as Error).message}`);
} finally {
  await stopAll();
}
if (profileDir) log(`CPU profiles in ${profileDir} (open in Chrome DevTools or speedscope)`);
process.exit(failed ? 1 : 0);
