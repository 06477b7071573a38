import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMAINS, loadConfig } from '../../subgraphs/platform/config.ts';
import { dropDatabase } from '../../subgraphs/platform/db/database.ts';
import { onBenchExit } from './exit-cleanup.ts';
import { freePort, spawnTs, waitReady, type Child } from './processes.ts';

export type GraphMode = 'stack' | 'embedded' | 'running';

export interface GraphUnderTest {
  /** Each subgraph's GraphQL URL. */
  subgraphs: Record<string, string>;
  /** The graph's own gateway. */
  gatewayUrl: string;
  /** The environment it runs with (ports, databases), for processes that join it. */
  env: NodeJS.ProcessEnv;
  /** The root of its processes, for CPU accounting; none for a graph this run did not start. */
  pid?: number;
  /** PostgreSQL URL of a domain's database, when the graph runs on PostgreSQL. */
  databaseUrl?(domain: string): string;
  close(): Promise<void>;
}

/**
 * A graph for a benchmark, on ports (and databases) of its own, removed by close():
 * `stack` is `npm run stack` (a process per subgraph, PostgreSQL, Kafka), `embedded` is
 * `npm start` (one process, PGlite), `running` the graph already on the default ports.
 */
export async function startGraphUnderTest(mode: GraphMode, options: { nodeArgs?: string[]; log(msg: string): void }): Promise<GraphUnderTest> {
  if (mode === 'running') {
    const config = loadConfig({});
    return { subgraphs: { ...config.urls }, gatewayUrl: `http://127.0.0.1:${config.gateway.port}/graphql`, env: process.env, close: async () => {} };
  }
  // Each free port is released before the next is asked for, so the OS may hand one out twice
  // (a CI run gave orders and audit the same port): draw again until all differ.
  const taken = new Set<number>();
  const distinctPort = async () => {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    return port;
  };
  const ports: Record<string, number> = { GATEWAY_PORT: await distinctPort() };
  for (const d of DOMAINS) ports[`${d.toUpperCase()}_PORT`] = await distinctPort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    JWKS_URL: `http://127.0.0.1:${ports.IAM_PORT}/.well-known/jwks.json`,
    // One client at full speed would measure the rate limiter, not the graph.
    GATEWAY_RATE_LIMIT_PER_SECOND: '0',
    // A run outlasts the default 15 minutes of a token.
    JWT_ACCESS_TTL_SECONDS: '7200',
  };
  const base = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  let child: Child;
  let cleanup: () => Promise<void>;
  let databaseUrl: ((domain: string) => string) | undefined;
  if (mode === 'stack') {
    const prefix = `vt_bench_${process.pid}`;
    const postgres = process.env.POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    Object.assign(env, { POSTGRES_URL: postgres, DATABASE_PREFIX: prefix });
    databaseUrl = (domain) => new URL(`/${prefix}_${domain}`, postgres).toString();
    options.log(`starting npm run stack (PostgreSQL at ${new URL(postgres).host}, databases ${prefix}_*; Kafka)…`);
    child = spawnTs('scripts/stack.ts', env, options.nodeArgs);
    cleanup = async () => {
      for (const d of DOMAINS) await dropDatabase(databaseUrl!(d)).catch(() => {});
    };
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'vt-bench-graph-'));
    options.log(`starting npm start (embedded PGlite in ${dataDir})…`);
    child = spawnTs('scripts/start.ts', { ...env, DATA_DIR: dataDir }, options.nodeArgs);
    cleanup = () => rm(dataDir, { recursive: true, force: true });
  }
  let forget = () => {};
  const close = async () => {
    forget();
    await child.stop();
    await cleanup();
  };
  // An error, a rejection nobody handled, Ctrl+C or a kill: the graph (and its databases) still go.
  forget = onBenchExit(`the ${mode} graph`, close);
  try {
    await waitReady(child, `${base}/health/ready`, {}, mode === 'stack' ? 240_000 : 180_000);
  } catch (error) {
    await close();
    throw error;
  }
  const config = loadConfig(env);
  return { subgraphs: { ...config.urls }, gatewayUrl: `${base}/graphql`, env, pid: child.process.pid!, ...(databaseUrl ? { databaseUrl } : {}), close };
}
