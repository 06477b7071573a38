import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, databaseFor, type Config, type Env } from '../../subgraphs/platform/config.ts';
import { dropDatabase } from '../../subgraphs/platform/db/database.ts';
import { acquireBroker, brokerSource } from '../../scripts/kafka/harness.ts';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import { OrderCreated } from '../../subgraphs/orders/events/contracts.ts';
import { SUBGRAPHS } from '../../subgraphs/system/subgraphs.ts';
import { startGraph, type RunningGraph } from '../../subgraphs/system/graph.ts';

export type Backend = 'pglite' | 'postgres';

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The database backends the suites run on: embedded PGlite always, and the PostgreSQL server of
 * TEST_POSTGRES_URL (default: the local one) when it answers. In CI it must answer.
 */
export async function availableBackends(env: Env = process.env): Promise<Backend[]> {
  if (env.TEST_POSTGRES === 'off') return ['pglite'];
  const url = env.TEST_POSTGRES_URL ?? DEFAULT_POSTGRES;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return ['pglite', 'postgres'];
  } catch (error) {
    if (env.CI) throw new Error(`CI needs PostgreSQL at ${url}: ${(error as Error).message}`);
    console.warn(`PostgreSQL suites skipped: nothing answers at ${url} (set TEST_POSTGRES_URL).`);
    return ['pglite'];
  }
}

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: string[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }> | undefined;
}

export interface TestGraph {
  config: Config;
  graph: RunningGraph;
  /** The gateway's GraphQL endpoint. */
  url: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string, url?: string): Promise<GqlResponse<T>>;
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the whole graph on ephemeral ports, on the given backend, as `npm start` would. */
export async function startTestGraph(backend: Backend, env: Env = {}, base: Env = process.env): Promise<TestGraph> {
  const prefix = `vt_test_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: 'memory://',
    SEED_DEMO: 'true',
    // Suites send bursts from one address; the rate limit has suites of its own that turn it on.
    GATEWAY_RATE_LIMIT_PER_SECOND: '0',
    // The suites' webhook receivers listen on loopback: the one explicit opt-out of the SSRF guard.
    WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'false',
    ...(backend === 'postgres' ? { POSTGRES_URL: base.TEST_POSTGRES_URL ?? DEFAULT_POSTGRES, DATABASE_PREFIX: prefix } : {}),
    ...env,
  });
  const graph = await startGraph(config, createLogger(config.logLevel), { ephemeralPorts: true });
  const url = graph.gateway.graphqlUrl;

  const gql: TestGraph['gql'] = async (query, variables, token, target = url) => {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: GqlResponse['errors'] };
    return { status: res.status, data: body.data, errors: body.errors };
  };

  return {
    config,
    graph,
    url,
    gql,
    login: async (email, password = 'voidtracker') => {
      const res = await gql<{ login: { accessToken: string } }>(
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
        { e: email, p: password },
      );
      if (!res.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
      return res.data.login.accessToken;
    },
    close: async () => {
      await graph.close();
      if (config.postgresUrl) for (const def of SUBGRAPHS) await dropDatabase(databaseFor(config, def.name).location);
    },
  };
}

/** A valid order input; override what a test is about. */
export function orderInput(overrides: Record<string, unknown> = {}) {
  return {
    pickup: { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
    dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 },
    parcels: [{ weightKg: 2.5, lengthCm: 40, widthCm: 30, heightCm: 20 }],
    ...overrides,
  };
}

export type TransportKind = 'bus' | 'kafka';

/**
 * The transports an event suite runs on: the bus always, Kafka when a broker can be had
 * (KAFKA_BROKERS, or one started from Maven jars). Under CI Kafka is never skipped: its run starts
 * and fails if no broker comes up.
 */
export async function availableTransports(suite: string): Promise<TransportKind[]> {
  const source = await brokerSource();
  const skip = source.missing && !source.inCi ? source.missing : undefined;
  if (skip) console.warn(`Kafka ${suite} suite skipped: ${skip}`);
  return skip ? ['bus'] : ['bus', 'kafka'];
}

/** startTestGraph with the given transport (on PGlite unless told); a broker it had to start stops with the graph. */
export async function startTestGraphOn(kind: TransportKind, env: Env = {}, backend: Backend = 'pglite'): Promise<TestGraph> {
  if (kind === 'bus') return startTestGraph(backend, env);
  const broker = await acquireBroker(await brokerSource());
  try {
    const g = await startTestGraph(backend, { ...env, KAFKA_BROKERS: broker.brokers.join(',') });
    return {
      ...g,
      close: async () => {
        await g.close();
        await broker.stop();
      },
    };
  } catch (error) {
    await broker.stop();
    throw error;
  }
}

/** An OrderCreated event as orders would publish it, for suites that feed a consumer directly. */
export function orderCreatedEvent(orderId: string, orgId: string, customerId: string) {
  return OrderCreated.create(
    {
      orderId,
      customerId,
      reference: null,
      pickup: { line1: 'a', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5, lon: 13.4 },
      dropoff: { line1: 'b', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.4, lon: 13.07 },
      weightKg: '1.000',
      parcels: [{ weightKg: '1.000', lengthCm: null, widthCm: null, heightCm: null }],
      deliveryWindow: null,
      createdAt: new Date().toISOString(),
    },
    { subject: orderId, orgId },
  );
}
