/**
 * How the reads grow with the data: for each size, the scale seed (made, or resumed, by
 * seed:scale) served by the graph on PostgreSQL (`npm start`'s one process), and the reads of
 * issue 22 measured through its gateway at 1 and 8 clients:
 *   npm run bench:growth -- [--orders 10000,100000] [--tenants 50] [--seconds 5] [--concurrency 1,8] [--drop]
 * Databases are <DATABASE_PREFIX or vt_growth>_<size>_<domain> and are kept for the next run
 * (seeding a million orders takes a while) unless --drop. Prints p50/p95 per size and the
 * growth factor of p95 from each size to the next, and the graph's peak RSS.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { DOMAINS, databaseFor, loadConfig, type Env } from '../subgraphs/platform/config.ts';
import { dropDatabase } from '../subgraphs/platform/db/database.ts';
import { runLoad, type LoadResult } from './bench/load.ts';
import { freePort, processTree, spawnTs, waitReady } from './bench/processes.ts';
import { graphqlClient } from './demo/steps.ts';
import { recordedOptions } from './growth/bulk.ts';
import { pick, SCENARIOS } from './growth/scenarios.ts';
import { main as seedScale } from './seed-scale.ts';
import type { ScaleOptions } from './growth/tenants.ts';
import { processIo, runWhenEntry, table, type Io } from './lib/cli.ts';
import { readCommandLine, UsageError, type Parsed } from './lib/command-line.ts';

export const SPEC = {
  name: 'bench:growth',
  summary: 'Reads through the gateway (an order, the board, history, pages by cursor, audit trail, KPIs) at each size of seeded data (POSTGRES_URL): p50/p95, growth factors, peak memory.',
  options: {
    orders: { type: 'string', value: 'n,n,…', default: '10000,100000', description: 'sizes to measure, smallest first' },
    tenants: { type: 'string', value: 'n', default: '50', description: 'tenants at every size' },
    seconds: { type: 'string', value: 's', default: '5', description: 'per scenario and client count' },
    concurrency: { type: 'string', value: 'c,c,…', default: '1,8', description: 'client counts' },
    drop: { type: 'boolean', description: 'drop the seeded databases afterwards (default: keep them for the next run)' },
  },
} as const;

export interface Args {
  orders: number[];
  tenants: number;
  seconds: number;
  concurrency: number[];
  drop: boolean;
}

/** The parsed options as this script's arguments: lists of whole numbers written as digits. */
export function argsOf({ options }: Parsed<typeof SPEC.options>): Args {
  const list = (raw: string, flag: string) =>
    raw.trim().split(',').map((s) => {
      if (!/^\d+$/.test(s) || Number(s) < 1) throw new UsageError(`${flag}: not a list of whole numbers: ${raw}`);
      return Number(s);
    });
  return {
    orders: list(options.orders, '--orders'),
    tenants: list(options.tenants, '--tenants')[0]!,
    seconds: list(options.seconds, '--seconds')[0]!,
    concurrency: list(options.concurrency, '--concurrency'),
    drop: options.drop,
  };
}

/** 10000 → 10k, 1000000 → 1m: how a size names its databases and its column. */
export const sizeLabel = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1_000 === 0 ? `${n / 1_000}k` : String(n));

/** The peak resident set (VmHWM) of each process under `pid`, in MB. */
function peakRssMb(pid: number): number {
  return Math.max(
    ...processTree(pid).map((p) => {
      try {
        return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    }),
  );
}

/** The Pothos cursor of an order id, as the orders connection encodes it. */
const cursorOf = (id: string) => Buffer.from(`GPC:S:${id}`).toString('base64');

interface SizeResult {
  label: string;
  results: Map<string, LoadResult>;
  deepPage: number;
  rssMb: number;
}

async function measureSize(env: Env, orders: number, args: Args, io: Io): Promise<SizeResult> {
  const log = (m: string) => io.err(`bench:growth: ${m}`);
  const label = sizeLabel(orders);
  const code = await seedScale(['--orders', String(orders), '--tenants', String(args.tenants)], env, { ...io, out: (l) => log(l) });
  if (code !== 0) throw new Error(`seed:scale --orders ${orders} failed (${code})`);
  const config = loadConfig(env);
  const ports = Object.fromEntries(await Promise.all(['GATEWAY', ...DOMAINS.map((d) => d.toUpperCase())].map(async (k) => [`${k}_PORT`, String(await freePort())])));
  const graphEnv: NodeJS.ProcessEnv = {
    ...env,
    ...ports,
    JWKS_URL: `http://127.0.0.1:${ports.IAM_PORT}/.well-known/jwks.json`,
    LOG_LEVEL: 'warn',
    GATEWAY_RATE_LIMIT_PER_SECOND: '0',
    JWT_ACCESS_TTL_SECONDS: '7200',
    SEED_DEMO: 'true',
  };
  delete graphEnv.KAFKA_BROKERS;
  const gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
  log(`${label}: starting the graph on ${config.databasePrefix}_*…`);
  const graph = spawnTs('scripts/start.ts', graphEnv);
  try {
    await waitReady(graph, new URL('/health/ready', gatewayUrl).toString(), {}, 300_000);
    const gql = graphqlClient(gatewayUrl);
    const login = await gql('mutation { login(email: "admin@demo.test", password: "voidtracker") { accessToken } }');
    const token: string | undefined = login.data?.login?.accessToken;
    if (!token) throw new Error(`login failed: ${JSON.stringify(login)}`);
    const headers = { authorization: `Bearer ${token}` };
    const client = new pg.Client({ connectionString: databaseFor(config, 'orders').location });
    await client.connect();
    const recorded = (await recordedOptions(client)) as ScaleOptions;
    await client.end();
    const picks = await pick(databaseFor(config, 'orders').location, recorded, cursorOf);
    const noErrors = (_status: number, body: string) => (body.includes('"errors"') ? body.slice(0, 300) : undefined);
    const results = new Map<string, LoadResult>();
    for (const scenario of SCENARIOS) {
      let n = 0;
      const body = () => scenario.body(picks, n++);
      const first = await gql(JSON.parse(body()).query, JSON.parse(body()).variables, token);
      const wrong = first.errors ? JSON.stringify(first.errors).slice(0, 400) : scenario.expect?.(first.data);
      if (wrong) throw new Error(`${scenario.name}: ${wrong}`);
      await runLoad({ url: gatewayUrl, concurrency: 1, seconds: 1, body, headers });
      for (const concurrency of scenario.alone ? [1] : args.concurrency) {
        log(`${label}: ${scenario.name} at ${concurrency} client(s)…`);
        const result = await runLoad({ url: gatewayUrl, concurrency, seconds: args.seconds, body, headers, check: noErrors });
        if (result.errors) throw new Error(`${scenario.name}: ${result.errors} errors, first: ${result.firstError}`);
        results.set(`${scenario.name}|${concurrency}`, result);
      }
    }
    return { label, results, deepPage: picks.deepPage, rssMb: peakRssMb(graph.process.pid!) };
  } finally {
    await graph.stop();
  }
}

const ms = (v: number | undefined) => (v === undefined ? '-' : v < 10 ? v.toFixed(1) : v.toFixed(0));

/** The table: p50/p95 per size, then p95's growth factor from each size to the next. */
export function growthTable(sizes: Array<Pick<SizeResult, 'label' | 'results'>>, keys: Array<[name: string, concurrency: number]>): string[] {
  const headers = ['read', 'clients', ...sizes.map((s) => `${s.label} p50/p95 ms`), ...sizes.slice(1).map((s, i) => `p95 ×${sizes[i]!.label}→${s.label}`)];
  const rows = keys.map(([name, c]) => {
    const at = sizes.map((s) => s.results.get(`${name}|${c}`));
    return [
      name,
      String(c),
      ...at.map((r) => (r ? `${ms(r.p50)} / ${ms(r.p95)}` : '-')),
      ...at.slice(1).map((r, i) => (r && at[i] ? (r.p95 / at[i]!.p95).toFixed(2) : '-')),
    ];
  });
  return table(headers, rows);
}

export async function main(argv: readonly string[], env: Env = process.env, io: Io = processIo()): Promise<number> {
  const args = readCommandLine(SPEC, argv, io, argsOf);
  if (typeof args === 'number') return args;
  if (!env.POSTGRES_URL) {
    io.err('bench:growth: set POSTGRES_URL (the growth benchmark runs the graph on PostgreSQL)');
    return 2;
  }
  const prefix = env.DATABASE_PREFIX ?? 'vt_growth';
  const sizes: SizeResult[] = [];
  const envs: Env[] = [];
  try {
    for (const orders of args.orders) {
      const sizeEnv: Env = { ...env, DATABASE_PREFIX: `${prefix}_${sizeLabel(orders)}` };
      envs.push(sizeEnv);
      sizes.push(await measureSize(sizeEnv, orders, args, io));
    }
  } finally {
    if (args.drop) for (const e of envs) for (const d of DOMAINS) await dropDatabase(databaseFor(loadConfig(e), d).location).catch(() => {});
  }
  const keys = SCENARIOS.flatMap((s) => (s.alone ? [1] : args.concurrency).map((c) => [s.name, c] as [string, number]));
  io.out(`Reads through the gateway, ${args.tenants} tenants, Demo Logistics (10% of the orders) reading; ${args.seconds} s per cell.`);
  io.out(growthTable(sizes, keys).join('\n'));
  io.out(`deep page: ${sizes.map((s) => `${s.label}: page ${s.deepPage}`).join(', ')}`);
  io.out(`graph process peak RSS: ${sizes.map((s) => `${s.label}: ${Math.round(s.rssMb)} MB`).join(', ')}`);
  return 0;
}

runWhenEntry(import.meta.url, 'bench:growth', main);
