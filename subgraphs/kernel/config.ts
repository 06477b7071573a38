import { z } from 'zod';

/** The six domains, in port order (4001..4006 by default). */
export const DOMAINS = ['iam', 'orders', 'planning', 'billing', 'audit', 'analytics'] as const;
export type Domain = (typeof DOMAINS)[number];

const port = z.coerce.number().int().min(0).max(65_535);
const optionalUrl = z.string().url().optional();

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(4000),
  IAM_PORT: port.default(4001),
  ORDERS_PORT: port.default(4002),
  PLANNING_PORT: port.default(4003),
  BILLING_PORT: port.default(4004),
  AUDIT_PORT: port.default(4005),
  ANALYTICS_PORT: port.default(4006),
  IAM_URL: optionalUrl,
  ORDERS_URL: optionalUrl,
  PLANNING_URL: optionalUrl,
  BILLING_URL: optionalUrl,
  AUDIT_URL: optionalUrl,
  ANALYTICS_URL: optionalUrl,
  /** A PostgreSQL server; each domain gets its own database on it. Unset: embedded PGlite. */
  POSTGRES_URL: optionalUrl,
  DATABASE_PREFIX: z.string().regex(/^[a-z][a-z0-9_]*$/).default('voidtracker'),
  DATA_DIR: z.string().default('.data'),
  SUPERGRAPH_PATH: z.string().default('schemas/supergraph.graphql'),
  JWT_ISSUER: z.string().default('voidtracker-iam'),
  JWT_AUDIENCE: z.string().default('voidtracker'),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  JWT_REFRESH_TTL_SECONDS: z.coerce.number().int().positive().default(30 * 24 * 3600),
  /** PKCS#8 PEM of an ES256 key. Required in production; dev keeps a generated one in the iam database. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWKS_URL: optionalUrl,
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  /** Comma-separated Kafka bootstrap servers. Unset: the in-process bus (one process only). */
  KAFKA_BROKERS: z.string().optional(),
  EVENT_TRANSPORT: z.enum(['bus', 'kafka']).optional(),
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
  EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(10_000),
});

export type Env = Record<string, string | undefined>;

/** Every environment variable the configuration reads. */
export const CONFIG_KEYS: readonly string[] = Object.keys(EnvSchema.shape);

export interface DatabaseConfig {
  kind: 'pglite' | 'postgres';
  /** pglite: the folder of this domain's files ('memory://' for none); postgres: the database URL. */
  location: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  host: string;
  gateway: { port: number; supergraphPath: string };
  ports: Record<Domain, number>;
  /** Where the gateway reaches each subgraph. */
  urls: Record<Domain, string>;
  postgresUrl: string | undefined;
  databasePrefix: string;
  dataDir: string;
  jwt: {
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    privateKeyPem: string | undefined;
    jwksUrl: string;
  };
  seedDemo: boolean;
  shutdownGraceMs: number;
  events: {
    transport: 'bus' | 'kafka';
    kafkaBrokers: string[];
    partitions: number;
    replicationFactor: number;
    /** Deliveries of one event before it goes to the dead-letter topic. */
    maxAttempts: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once, at start-up; nothing else reads process.env. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const ports: Record<Domain, number> = {
    iam: e.IAM_PORT,
    orders: e.ORDERS_PORT,
    planning: e.PLANNING_PORT,
    billing: e.BILLING_PORT,
    audit: e.AUDIT_PORT,
    analytics: e.ANALYTICS_PORT,
  };
  const explicitUrls: Record<Domain, string | undefined> = {
    iam: e.IAM_URL,
    orders: e.ORDERS_URL,
    planning: e.PLANNING_URL,
    billing: e.BILLING_URL,
    audit: e.AUDIT_URL,
    analytics: e.ANALYTICS_URL,
  };
  const urls = Object.fromEntries(
    DOMAINS.map((d) => [d, explicitUrls[d] ?? `http://127.0.0.1:${ports[d]}/graphql`]),
  ) as Record<Domain, string>;
  if (e.NODE_ENV === 'production' && !e.JWT_PRIVATE_KEY) {
    throw new ConfigError('Invalid configuration:\n  JWT_PRIVATE_KEY: required in production');
  }
  const kafkaBrokers = (e.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const transport = e.EVENT_TRANSPORT ?? (kafkaBrokers.length ? 'kafka' : 'bus');
  if (transport === 'kafka' && !kafkaBrokers.length) {
    throw new ConfigError('Invalid configuration:\n  KAFKA_BROKERS: required when EVENT_TRANSPORT is kafka');
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    gateway: { port: e.GATEWAY_PORT, supergraphPath: e.SUPERGRAPH_PATH },
    ports,
    urls,
    postgresUrl: e.POSTGRES_URL,
    databasePrefix: e.DATABASE_PREFIX,
    dataDir: e.DATA_DIR,
    jwt: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: e.JWT_REFRESH_TTL_SECONDS,
      privateKeyPem: e.JWT_PRIVATE_KEY,
      jwksUrl: e.JWKS_URL ?? `http://127.0.0.1:${e.IAM_PORT}/.well-known/jwks.json`,
    },
    // Demo data only where a person is trying things out, unless asked for explicitly.
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV === 'development',
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    events: {
      transport,
      kafkaBrokers,
      partitions: e.KAFKA_PARTITIONS,
      replicationFactor: e.KAFKA_REPLICATION_FACTOR,
      maxAttempts: e.EVENT_MAX_ATTEMPTS,
    },
  };
}

/** Where a domain's database lives under this configuration. */
export function databaseFor(config: Config, domain: Domain): DatabaseConfig {
  if (config.postgresUrl) {
    const url = new URL(config.postgresUrl);
    url.pathname = `/${config.databasePrefix}_${domain}`;
    return { kind: 'postgres', location: url.toString() };
  }
  if (config.dataDir === 'memory://') return { kind: 'pglite', location: 'memory://' };
  return { kind: 'pglite', location: `${config.dataDir}/${domain}` };
}
