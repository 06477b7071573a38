import { freePort, spawnTs, waitReady, type Child } from '../bench/processes.ts';
import type { Domain } from '../../subgraphs/platform/config.ts';

/** A server of the graph running as its own process, as in production. */
export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  graphqlUrl: string;
  port: number;
  child: Child;
  /** How the process ended: its exit code, or the signal that killed it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, resolved when it exited. */
  stop(): Promise<void>;
}

/** What every spawned server of a test shares: quiet logs, test mode, no rate limit from one address. */
const BASE_ENV = { NODE_ENV: 'test', LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_SECOND: '0', WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'false' };

async function spawnServer(entry: string, env: Record<string, string>, portVariable: string, port?: number): Promise<ServerProcess> {
  const chosen = port ?? (await freePort());
  const child = spawnTs(entry, { ...process.env, ...BASE_ENV, ...env, [portVariable]: String(chosen) });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.process.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${chosen}`;
  try {
    await waitReady(child, `${url}/health/ready`);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, graphqlUrl: `${url}/graphql`, port: chosen, child, exited, stop: () => child.stop() };
}

/** `tsx gateway/server.ts` routing to `subgraphs` (name → GraphQL URL), ready once every subgraph is. */
export function spawnGateway(subgraphs: Partial<Record<Domain, string>>, env: Record<string, string> = {}): Promise<ServerProcess> {
  const urls = Object.fromEntries(Object.entries(subgraphs).map(([name, url]) => [`${name.toUpperCase()}_URL`, url!]));
  const jwks: Record<string, string> = subgraphs.iam ? { JWKS_URL: new URL('/.well-known/jwks.json', subgraphs.iam).toString() } : {};
  return spawnServer('gateway/server.ts', { ...urls, ...jwks, ...env }, 'GATEWAY_PORT');
}

/**
 * `tsx subgraphs/<name>/server.ts`; pass the port of an earlier run to restart it where the
 * gateway expects it, and DATA_DIR or POSTGRES_URL in `env` so it keeps its data.
 */
export function spawnSubgraph(name: Domain, env: Record<string, string>, port?: number): Promise<ServerProcess> {
  return spawnServer(`subgraphs/${name}/server.ts`, env, `${name.toUpperCase()}_PORT`, port);
}
