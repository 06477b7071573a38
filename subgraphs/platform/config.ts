import { z } from 'zod';
import { DEFAULT_PORTS, DOMAINS, type Domain } from './domains.ts';

export { DOMAINS, type Domain } from './domains.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const optionalUrl = z.string().url().optional();

/** `IAM_PORT`, `ORDERS_URL`, …: each domain's variables, named after it. */
type DomainVariable<Suffix extends string> = `${Uppercase<Domain>}_${Suffix}`;
const variable = <Suffix extends string>(domain: Domain, suffix: Suffix) => `${domain.toUpperCase()}_${suffix}` as DomainVariable<Suffix>;
/** One variable per domain, described once for all of them, in registry order. */
const perDomain = <Suffix extends string, Field extends z.ZodType>(suffix: Suffix, field: (domain: Domain) => Field) =>
  Object.fromEntries(DOMAINS.map((d) => [variable(d, suffix), field(d)])) as Record<DomainVariable<Suffix>, Field>;
const domainPort = (domain: Domain) => port.default(DEFAULT_PORTS[domain]).describe(`Port the ${domain} subgraph listens on.`);
const domainUrl = (domain: Domain) =>
  optionalUrl.describe(`Where the gateway reaches the ${domain} subgraph. Unset: \`http://127.0.0.1:<${domain.toUpperCase()}_PORT>/graphql\`.`);

/**
 * The platform's environment variables: what the gateway and every subgraph read (a domain's own
 * settings are its slice, below). Each with its default and, in `.describe()`, its meaning: the one
 * place both are written. docs/configuration.md's table is generated from it and the slices
 * (`npm run config:table`). A text says what an unset optional variable means.
 */
export const ENV_SCHEMA = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('`production` turns introspection and Sandbox off, masks internal errors, closes `/metrics` and `_service`, makes iam require `JWT_PRIVATE_KEY`, and seeds nothing.'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info').describe('JSON log lines on stderr, of this level and above.'),
  HOST: z.string().default('127.0.0.1').describe('Interface every server binds.'),
  GATEWAY_PORT: port.default(4000).describe('Port the gateway listens on.'),
  ...perDomain('PORT', domainPort),
  ...perDomain('URL', domainUrl),
  POSTGRES_URL: optionalUrl.describe('A PostgreSQL server; each domain uses database `<DATABASE_PREFIX>_<domain>` on it. Unset: embedded PGlite.'),
  DATABASE_PREFIX: z.string().regex(/^[a-z][a-z0-9_]*$/).default('voidtracker').describe("Prefix of the domains' database names on `POSTGRES_URL`."),
  DATA_DIR: z.string().default('.data').describe("Where PGlite keeps each domain's files (`memory://` keeps nothing; a data folder gets its own `.gitignore`)."),
  SUPERGRAPH_PATH: z.string().default('schemas/supergraph.graphql').describe('The composed supergraph the gateway serves (`npm run compose` writes it).'),
  JWT_ISSUER: z.string().default('voidtracker-iam').describe('`iss` claim of the tokens iam signs; every subgraph checks it.'),
  JWT_AUDIENCE: z.string().default('voidtracker').describe('`aud` claim of the tokens iam signs; every subgraph checks it.'),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().positive().default(900).describe('Lifetime of an access token.'),
  JWKS_URL: optionalUrl.describe("Where every process fetches iam's public keys. Unset: `/.well-known/jwks.json` beside `IAM_URL`."),
  SEED_DEMO: z.enum(['true', 'false']).optional().describe('Seed the demo tenants. Unset: in development only.'),
  KAFKA_BROKERS: z.string().optional().describe('Comma-separated Kafka bootstrap servers; setting it selects Kafka. Unset: the in-process bus (one process only).'),
  EVENT_TRANSPORT: z.enum(['bus', 'kafka']).optional().describe('Forces the transport; the bus only connects subgraphs in one process. Unset: `kafka` when `KAFKA_BROKERS` is set, else `bus`.'),
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3).describe('Partitions of the topics the graph creates at start.'),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1).describe('Replication factor of the topics the graph creates at start.'),
  KAFKA_CONSUME_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(1).describe('Partitions one consumer handles at once (each partition still in order).'),
  EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5).describe('Deliveries of one event (with backoff) before it goes to the dead-letter topic.'),
  OUTBOX_RETENTION_HOURS: z
    .coerce.number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(168)
    .describe("Published outbox rows older than this are deleted by each subgraph's hourly retention job (unpublished rows never; the relay never reads sent rows again, they are kept a while to look at)."),
  INBOX_RETENTION_DAYS: z
    .coerce.number()
    .int()
    .min(1)
    .max(3650)
    .default(14)
    .describe("Inbox rows (the consumers' de-duplication records) older than this are deleted by the same job: longer than any redelivery or replay can come (Kafka keeps 7 days)."),
  DB_WRITE_CONCURRENCY: z
    .coerce.number()
    .int()
    .min(1)
    .max(1000)
    .default(6)
    .describe('Write transactions one subgraph runs at once from requests (its PostgreSQL pool holds 10 connections; the rest serve the relay, consumers and reads).'),
  DB_WRITE_QUEUE_LIMIT: z
    .coerce.number()
    .int()
    .min(0)
    .max(10_000)
    .default(64)
    .describe('Write transactions that may wait for a slot; beyond, and after waiting `DB_WRITE_QUEUE_TIMEOUT_MS`, `SERVICE_OVERLOADED`.'),
  DB_WRITE_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(3_000).describe('How long a write transaction may wait for a slot.'),
  DB_WRITE_REQUEST_BUDGET_MS: z
    .coerce.number()
    .int()
    .min(1)
    .max(600_000)
    .default(5_000)
    .describe("A request that reaches its first write transaction later than this after it arrived is refused (`SERVICE_OVERLOADED`): half the gateway's subgraph timeout."),
  DB_OVERLOAD_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(300).default(1).describe('The `retryAfter` (and gateway `Retry-After`) a `SERVICE_OVERLOADED` refusal suggests, in seconds.'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(10_000).describe('How long in-flight requests may finish on SIGTERM.'),
  SHUTDOWN_DRAIN_DELAY_MS: z
    .coerce.number()
    .int()
    .min(0)
    .max(120_000)
    .default(0)
    .describe('On SIGTERM, readiness fails and responses say `Connection: close` this long before the listener closes; a few seconds under Kubernetes (docs/operations.md).'),
  // Gateway edge: request size, time and shape limits, checked before anything is executed.
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024).describe('Larger POST bodies get 413 before they are parsed (1 MiB).'),
  GATEWAY_REQUEST_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(30_000).describe('A request still running after this long gets 504 `GATEWAY_TIMEOUT` (0: no limit).'),
  GATEWAY_SUBGRAPH_TIMEOUT_MS: z
    .coerce.number()
    .int()
    .nonnegative()
    .default(10_000)
    .describe('A subgraph fetch is abandoned (`SUBGRAPH_TIMEOUT`) when no response headers, or no more of the body, arrive for this long; the rest of the answer still arrives (0: no limit).'),
  GATEWAY_SUPERGRAPH_POLL_MS: z
    .coerce.number()
    .int()
    .nonnegative()
    .default(1_000)
    .describe('How often the gateway looks for a new supergraph file and reloads it without a restart (0: never; the file is read once at start).'),
  GATEWAY_ALLOW_BATCHING: z.enum(['true', 'false']).default('false').describe('Accept JSON arrays of operations in one request.'),
  GATEWAY_MAX_DEPTH: z.coerce.number().int().nonnegative().default(15).describe('Nesting of selection sets, fragments expanded (0: no limit).'),
  GATEWAY_MAX_ALIASES: z.coerce.number().int().nonnegative().default(30).describe('Aliased fields in an operation, fragments expanded (0: no limit).'),
  GATEWAY_MAX_DIRECTIVES: z.coerce.number().int().nonnegative().default(50).describe('Directive uses in a document (0: no limit).'),
  GATEWAY_MAX_TOKENS: z.coerce.number().int().nonnegative().default(5_000).describe('Lexical tokens of a document (0: no limit).'),
  GATEWAY_MAX_COST: z.coerce.number().int().nonnegative().default(50_000).describe('Estimated cost of an operation: every field 1, times the sizes of the lists around it (0: no limit).'),
  GATEWAY_DEFAULT_LIST_SIZE: z.coerce.number().int().positive().default(10).describe('Assumed size of a list without a `first`/`last`/`limit` argument, for the cost.'),
  GATEWAY_RATE_LIMIT_PER_SECOND: z
    .coerce.number()
    .nonnegative()
    .default(100)
    .describe('Token bucket per client (verified API key, else token subject, else client address): sustained requests per second (0 turns rate limiting, and the login limit, off).'),
  GATEWAY_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(200).describe("The token bucket's size: the burst a client may send at once."),
  GATEWAY_RATE_LIMIT_COST_UNIT: z.coerce.number().nonnegative().default(0).describe('Count operations by estimated cost: a request takes ceil(cost / unit) tokens (0: one per request).'),
  GATEWAY_TRUST_PROXY: z.enum(['true', 'false']).optional().describe('Replaced by `GATEWAY_TRUSTED_PROXIES` (a hop count); still read only to refuse it with a clear message.'),
  GATEWAY_APQ_TTL_SECONDS: z.coerce.number().int().positive().default(24 * 3600).describe('How long a registered automatic persisted query is kept in Redis (1 day).'),
  GATEWAY_CORS_ORIGINS: z
    .string()
    .optional()
    .describe('Comma-separated allowed browser origins; `scheme://host:*` allows any port. Unset: localhost origins in development and test, none in production.'),
  GATEWAY_CORS_ALLOWED_HEADERS: z
    .string()
    .default('baggage, sentry-trace, tracestate')
    .describe("Comma-separated request headers browsers may send besides the graph's own (content-type, authorization, x-api-key, Apollo's, traceparent, x-request-id): an instrumented app's tracing."),
  GATEWAY_METRICS: z.enum(['true', 'false']).default('true').describe('Serve Prometheus metrics at `/metrics` on the gateway.'),
  GATEWAY_SHARE_INFLIGHT_READS: z
    .enum(['true', 'false'])
    .default('true')
    .describe('Identical subgraph reads of queries in flight at once are fetched once, never across a mutation that has answered (docs/performance.md).'),
  GATEWAY_SUBSCRIPTIONS: z
    .enum(['true', 'false'])
    .default('true')
    .describe('Live subscriptions over SSE at `/graphql/stream` and WebSocket (graphql-ws) at `/graphql` (docs/subscriptions.md).'),
  GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS: z.coerce.number().int().min(1).max(300).default(15).describe('Seconds between keep-alives on an idle subscription stream (SSE comment, WebSocket ping).'),
  GATEWAY_API_KEY_CACHE_SECONDS: z
    .coerce.number()
    .min(0)
    .max(300)
    .default(30)
    .describe('How long the gateway trusts an API key exchange (and a refusal); a revoked key stops within it (0: ask iam every time).'),
  GATEWAY_PQ_MANIFESTS: z.string().optional().describe('Partner safelists, `client=path-or-url,…`. Unset: every `persisted-queries/<client>.json`.'),
  GATEWAY_PQ_POLL_SECONDS: z.coerce.number().positive().max(86_400).default(30).describe('How often safelists are re-read (URLs polled; files are also watched).'),
  GATEWAY_TRUSTED_DOCUMENTS: z
    .enum(['apq', 'safelist'])
    .default('apq')
    .describe("`safelist`: run only the web app's and partners' persisted operations, by id (the recommended production setup, docs/web.md); `apq`: any text too, with automatic persisted queries."),
  GATEWAY_APP_MANIFEST: z
    .string()
    .default('examples/web/dist/persisted-query-manifest.json')
    .describe("The first-party web app's persisted-query manifest, extracted by its build (`npm run web:build`)."),
  GATEWAY_WEB_APP_DIR: z.string().default('examples/web/dist').describe('The built web app served at `/app` beside Sandbox; a folder without `index.html`: `/app` answers 404.'),
  // The edge with no account at all (docs/security.md): client addresses, login limiter, live limits, exposure.
  GATEWAY_TRUSTED_PROXIES: z
    .coerce.number()
    .int()
    .min(0)
    .max(10)
    .default(0)
    .describe('Proxies in front of the gateway that append to `X-Forwarded-For`; the client address is that many hops from the right (0: the socket address).'),
  GATEWAY_LOGIN_LIMIT: z
    .enum(['true', 'false'])
    .default('true')
    .describe('Login attempts limited per account and per client address, with backoff after failures (off with the rate limit too).'),
  GATEWAY_LOGIN_ACCOUNT_BURST: z.coerce.number().int().min(1).default(10).describe('Login attempts per account (normalised email): bucket size.'),
  GATEWAY_LOGIN_ACCOUNT_PER_MINUTE: z.coerce.number().positive().default(2).describe('Login attempts per account: refill per minute.'),
  GATEWAY_LOGIN_ADDRESS_BURST: z.coerce.number().int().min(1).default(30).describe('Login attempts per client address: bucket size.'),
  GATEWAY_LOGIN_ADDRESS_PER_MINUTE: z.coerce.number().positive().default(10).describe('Login attempts per client address: refill per minute.'),
  GATEWAY_LOGIN_FREE_FAILURES: z
    .coerce.number()
    .int()
    .min(0)
    .max(100)
    .default(3)
    .describe('Failed logins in a row before each further failure doubles a lockout (1 s, 2 s, …).'),
  GATEWAY_LOGIN_MAX_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900).describe('The longest that login lockout grows.'),
  GATEWAY_MAX_DOCUMENT_BYTES: z
    .coerce.number()
    .int()
    .nonnegative()
    .default(64 * 1024)
    .describe('Characters of a GraphQL document; larger ones are refused before they are lexed or parsed (0: no limit).'),
  GATEWAY_WS_MAX_PAYLOAD_BYTES: z
    .coerce.number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024)
    .describe('Largest WebSocket message (`connection_init` included) before the socket is closed (1009).'),
  GATEWAY_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(10_000).default(20).describe('Live subscriptions open at once on one WebSocket.'),
  GATEWAY_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(50).describe('Live subscriptions open at once per user, across both transports.'),
  METRICS_PUBLIC: z.enum(['true', 'false']).optional().describe('Serve `/metrics` without credentials. Unset: outside production only.'),
  METRICS_BEARER_TOKEN: z.string().min(16).optional().describe('Serve `/metrics` to `Authorization: Bearer <this>`, in any environment (16 characters or more).'),
  SUBGRAPH_SERVICE_SDL: z.enum(['true', 'false']).optional().describe('Subgraphs answer `_service { sdl }` (the gateway composes from files). Unset: outside production only.'),
  // End of the edge block.
  REDIS_URL: optionalUrl.describe('Shared state of several gateway instances (rate limits, persisted queries). Unset: each gateway keeps them in its own memory.'),
  REDIS_KEY_PREFIX: z.string().default('voidtracker:').describe('Prepended to every Redis key, so several deployments (or test runs) can share one server.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl.describe('OTLP/HTTP collector for traces (e.g. `http://otel-collector:4318`). Unset: no tracing SDK is loaded.'),
  OTEL_SERVICE_NAME: z.string().optional().describe("Overrides each process's own service.name (gateway, iam, …; `voidtracker` for the embedded graph)."),
});

export type Env = Record<string, string | undefined>;

/** Every environment variable the platform reads (the domains' slices add theirs: subgraphs/system/config.ts). */
export const CONFIG_KEYS: readonly string[] = Object.keys(ENV_SCHEMA.shape);

export interface DatabaseConfig {
  kind: 'pglite' | 'postgres';
  /** pglite: the folder of this domain's files ('memory://' for none); postgres: the database URL. */
  location: string;
}

export interface Config {
  /** The variables this was loaded from; the domains' slices (`ConfigSlice`) are parsed from the same. */
  environment: Env;
  env: 'development' | 'production' | 'test';
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  host: string;
  gateway: GatewayEdgeConfig;
  redis: {
    /** Unset: every gateway keeps its rate limits and persisted queries in its own memory. */
    url: string | undefined;
    /** Prepended to every key, so several deployments (or test runs) can share one server. */
    keyPrefix: string;
  };
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
    jwksUrl: string;
  };
  seedDemo: boolean;
  shutdownGraceMs: number;
  /** Readiness 503 and `Connection: close` for this long before the listener closes (SHUTDOWN_DRAIN_DELAY_MS, 0). */
  shutdownDrainDelayMs: number;
  telemetry: {
    /** Where traces go over OTLP/HTTP; unset: tracing is off. */
    otlpEndpoint: string | undefined;
    serviceName: string | undefined;
  };
  events: {
    transport: 'bus' | 'kafka';
    kafkaBrokers: string[];
    partitions: number;
    replicationFactor: number;
    consumeConcurrency: number;
    /** Deliveries of one event before it goes to the dead-letter topic. */
    maxAttempts: number;
    /** Retention of published outbox rows (OUTBOX_RETENTION_HOURS) and inbox rows (INBOX_RETENTION_DAYS), in ms. */
    outboxRetentionMs: number;
    inboxRetentionMs: number;
  };
  writes: WriteAdmissionConfig;
  exposure: ExposureConfig;
}

/** Admission of requests' write transactions (subgraphs/platform/db/admission.ts). */
export interface WriteAdmissionConfig {
  /** Transactions at once per subgraph process (DB_WRITE_CONCURRENCY, 6). */
  concurrency: number;
  /** Transactions that may wait for a slot (DB_WRITE_QUEUE_LIMIT, 64). */
  queueLimit: number;
  /** How long one may wait before it is refused (DB_WRITE_QUEUE_TIMEOUT_MS, 3 s). */
  queueTimeoutMs: number;
  /** A request older than this when it reaches its first write is refused (DB_WRITE_REQUEST_BUDGET_MS, 5 s). */
  requestBudgetMs: number;
  /** Seconds a refusal asks the client to wait (DB_OVERLOAD_RETRY_AFTER_SECONDS, 1). */
  retryAfterSeconds: number;
}

export interface GatewayEdgeConfig {
  port: number;
  supergraphPath: string;
  /** Larger POST bodies get 413 before they are parsed (GATEWAY_MAX_BODY_BYTES, 1 MiB). */
  maxBodyBytes: number;
  /** A request still running after this long gets 504 GATEWAY_TIMEOUT; 0: no limit (GATEWAY_REQUEST_TIMEOUT_MS, 30 s). */
  requestTimeoutMs: number;
  /** A subgraph that sends no response headers, or stalls its body, this long is given up on: SUBGRAPH_TIMEOUT, with partial data; 0: no limit. */
  subgraphTimeoutMs: number;
  /** Poll interval for supergraph changes, hot-reloaded without a restart; 0: off. */
  supergraphPollMs: number;
  /** JSON arrays of operations in one request (GATEWAY_ALLOW_BATCHING, false). */
  allowBatching: boolean;
  /** Checked after validation and before execution; 0 turns one limit off. */
  limits: {
    /** Nesting of selection sets, fragments expanded (GATEWAY_MAX_DEPTH, 15). */
    maxDepth: number;
    /** Aliased fields in the operation, fragments expanded (GATEWAY_MAX_ALIASES, 30). */
    maxAliases: number;
    /** Directive uses in the document (GATEWAY_MAX_DIRECTIVES, 50). */
    maxDirectives: number;
    /** Lexical tokens of the document (GATEWAY_MAX_TOKENS, 5000). */
    maxTokens: number;
    /** Estimated cost: every field 1, times the sizes of the lists around it (GATEWAY_MAX_COST, 50000). */
    maxCost: number;
    /** Assumed size of a list without a first/last/limit argument (GATEWAY_DEFAULT_LIST_SIZE, 10). */
    defaultListSize: number;
  };
  /** Token bucket per client (verified API key, else verified token subject, else client address); undefined: off. */
  /** costUnit: 0 counts requests; else a request takes ceil(estimated cost / costUnit) tokens. */
  rateLimit: { perSecond: number; burst: number; costUnit: number } | undefined;
  /** Proxies that append to X-Forwarded-For; the client address is that many hops from the right (GATEWAY_TRUSTED_PROXIES, 0: the socket). */
  trustedProxies: number;
  /** Login attempts per account and per address, with backoff after failures; undefined: off (GATEWAY_LOGIN_LIMIT, or the rate limit off). */
  login: LoginLimitConfig | undefined;
  /** Characters of a GraphQL document, refused before lexing (GATEWAY_MAX_DOCUMENT_BYTES, 64 KiB; 0: no limit). */
  maxDocumentBytes: number;
  /** Live limits: WebSocket message size and open subscriptions per connection and per user. */
  live: { wsMaxPayloadBytes: number; perConnection: number; perUser: number };
  /** How long a registered automatic persisted query is kept in Redis (GATEWAY_APQ_TTL_SECONDS, 1 day). */
  apqTtlSeconds: number;
  /** Browser origins allowed by CORS; '*'-free, exact origins or `http://localhost:*` style port wildcards. */
  corsOrigins: string[];
  /** Request headers a browser may send besides the graph's own (GATEWAY_CORS_ALLOWED_HEADERS; default a Sentry-instrumented app's baggage, sentry-trace, and W3C tracestate). */
  corsExtraHeaders: string[];
  /** Prometheus metrics at /metrics (GATEWAY_METRICS, true). */
  metrics: boolean;
  /** Identical subgraph reads of queries in flight at once are fetched once, never across a completed mutation (GATEWAY_SHARE_INFLIGHT_READS, true); see gateway/inflight.ts. */
  shareInflightReads: boolean;
  /** Live subscriptions (GATEWAY_SUBSCRIPTIONS, true) and their keep-alive (GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS, 15). */
  subscriptions: { enabled: boolean; keepAliveSeconds: number };
  /** Partner API keys and their persisted-query safelists (docs/partners.md). */
  partners: {
    /** Seconds an exchanged key (or a refused one) is trusted before iam is asked again (GATEWAY_API_KEY_CACHE_SECONDS, 30). */
    keyCacheSeconds: number;
    /** Client name → manifest path or http(s) URL; undefined: every persisted-queries/<client>.json (GATEWAY_PQ_MANIFESTS). */
    manifests: Record<string, string> | undefined;
    /** Seconds between manifest re-reads (GATEWAY_PQ_POLL_SECONDS, 30). */
    pollSeconds: number;
  };
  /**
   * Trusted documents (GATEWAY_TRUSTED_DOCUMENTS): in `safelist` mode every caller, not only
   * partners, runs manifest operations only; first-party apps those of appManifest.
   */
  trustedDocuments: { mode: 'apq' | 'safelist'; appManifest: string };
  /** The built web app served at /app (GATEWAY_WEB_APP_DIR, examples/web/dist). */
  webAppDir: string;
}

export interface LoginLimitConfig {
  account: { burst: number; perSecond: number };
  address: { burst: number; perSecond: number };
  freeFailures: number;
  maxBackoffSeconds: number;
}

/** Who may read /metrics and each subgraph's `_service { sdl }`. */
export interface ExposureConfig {
  /** /metrics without credentials (METRICS_PUBLIC; default: outside production). */
  metricsPublic: boolean;
  /** /metrics with `Authorization: Bearer <this>`, whatever metricsPublic says (METRICS_BEARER_TOKEN). */
  metricsBearerToken: string | undefined;
  /** `_service { sdl }` answered (SUBGRAPH_SERVICE_SDL; default: outside production). */
  serviceSdl: boolean;
}

/** Where developers' browsers run the apps and Sandbox. */
const DEV_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'https://studio.apollographql.com'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` with `schema`; a bad value stops the start, naming each variable. */
function parseEnv<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, env: Env): z.output<z.ZodObject<Shape>> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * One domain's own settings, declared in its folder (`subgraphs/<domain>/config.ts`): its variables
 * (zod, each with its default and a `.describe()` text) and how their values become its typed
 * settings. The platform knows no domain's variables; the kernel parses a subgraph's slice once at
 * start (`parseSlice`) from the environment its Config was loaded from.
 */
export interface ConfigSlice<Settings, Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly env: z.ZodObject<Shape>;
  /** Parsed values → settings; may throw ConfigError for what zod cannot say (a malformed list). */
  settings(env: z.output<z.ZodObject<Shape>>): Settings;
}

/** Declares a slice; `settings` gets the parsed values, typed from `env`. */
export const configSlice = <Shape extends z.ZodRawShape, Settings>(
  env: z.ZodObject<Shape>,
  settings: (env: z.output<z.ZodObject<Shape>>) => Settings,
): ConfigSlice<Settings, Shape> => ({ env, settings });

/** A slice's settings from the environment a Config was loaded from (`config.environment`), or another. */
export function parseSlice<Settings, Shape extends z.ZodRawShape>(slice: ConfigSlice<Settings, Shape>, env: Env): Settings {
  return slice.settings(parseEnv(slice.env, env));
}

/** Parses the environment once, at start-up; nothing else reads process.env. */
export function loadConfig(env: Env = process.env): Config {
  const e = parseEnv(ENV_SCHEMA, env);
  const ports = Object.fromEntries(DOMAINS.map((d) => [d, e[variable(d, 'PORT')]])) as Record<Domain, number>;
  const urls = Object.fromEntries(
    DOMAINS.map((d) => [d, e[variable(d, 'URL')] ?? `http://127.0.0.1:${ports[d]}/graphql`]),
  ) as Record<Domain, string>;
  if (e.GATEWAY_TRUST_PROXY !== undefined) {
    throw new ConfigError('Invalid configuration:\n  GATEWAY_TRUST_PROXY: replaced by GATEWAY_TRUSTED_PROXIES, the number of proxies in front of the gateway (0: none)');
  }
  const kafkaBrokers = (e.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const transport = e.EVENT_TRANSPORT ?? (kafkaBrokers.length ? 'kafka' : 'bus');
  if (transport === 'kafka' && !kafkaBrokers.length) {
    throw new ConfigError('Invalid configuration:\n  KAFKA_BROKERS: required when EVENT_TRANSPORT is kafka');
  }
  return {
    environment: { ...env },
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    gateway: {
      port: e.GATEWAY_PORT,
      supergraphPath: e.SUPERGRAPH_PATH,
      maxBodyBytes: e.GATEWAY_MAX_BODY_BYTES,
      requestTimeoutMs: e.GATEWAY_REQUEST_TIMEOUT_MS,
      subgraphTimeoutMs: e.GATEWAY_SUBGRAPH_TIMEOUT_MS,
      supergraphPollMs: e.GATEWAY_SUPERGRAPH_POLL_MS,
      allowBatching: e.GATEWAY_ALLOW_BATCHING === 'true',
      limits: {
        maxDepth: e.GATEWAY_MAX_DEPTH,
        maxAliases: e.GATEWAY_MAX_ALIASES,
        maxDirectives: e.GATEWAY_MAX_DIRECTIVES,
        maxTokens: e.GATEWAY_MAX_TOKENS,
        maxCost: e.GATEWAY_MAX_COST,
        defaultListSize: e.GATEWAY_DEFAULT_LIST_SIZE,
      },
      rateLimit:
        e.GATEWAY_RATE_LIMIT_PER_SECOND > 0
          ? { perSecond: e.GATEWAY_RATE_LIMIT_PER_SECOND, burst: e.GATEWAY_RATE_LIMIT_BURST, costUnit: e.GATEWAY_RATE_LIMIT_COST_UNIT }
          : undefined,
      trustedProxies: e.GATEWAY_TRUSTED_PROXIES,
      login:
        e.GATEWAY_LOGIN_LIMIT === 'true' && e.GATEWAY_RATE_LIMIT_PER_SECOND > 0
          ? {
              account: { burst: e.GATEWAY_LOGIN_ACCOUNT_BURST, perSecond: e.GATEWAY_LOGIN_ACCOUNT_PER_MINUTE / 60 },
              address: { burst: e.GATEWAY_LOGIN_ADDRESS_BURST, perSecond: e.GATEWAY_LOGIN_ADDRESS_PER_MINUTE / 60 },
              freeFailures: e.GATEWAY_LOGIN_FREE_FAILURES,
              maxBackoffSeconds: e.GATEWAY_LOGIN_MAX_BACKOFF_SECONDS,
            }
          : undefined,
      maxDocumentBytes: e.GATEWAY_MAX_DOCUMENT_BYTES,
      live: {
        wsMaxPayloadBytes: e.GATEWAY_WS_MAX_PAYLOAD_BYTES,
        perConnection: e.GATEWAY_SUBSCRIPTIONS_PER_CONNECTION,
        perUser: e.GATEWAY_SUBSCRIPTIONS_PER_USER,
      },
      apqTtlSeconds: e.GATEWAY_APQ_TTL_SECONDS,
      corsOrigins:
        e.GATEWAY_CORS_ORIGINS !== undefined
          ? e.GATEWAY_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
          : e.NODE_ENV === 'production' ? [] : DEV_ORIGINS,
      corsExtraHeaders: e.GATEWAY_CORS_ALLOWED_HEADERS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
      metrics: e.GATEWAY_METRICS === 'true',
      shareInflightReads: e.GATEWAY_SHARE_INFLIGHT_READS === 'true',
      subscriptions: { enabled: e.GATEWAY_SUBSCRIPTIONS === 'true', keepAliveSeconds: e.GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS },
      partners: {
        keyCacheSeconds: e.GATEWAY_API_KEY_CACHE_SECONDS,
        manifests: e.GATEWAY_PQ_MANIFESTS === undefined ? undefined : parseManifestList(e.GATEWAY_PQ_MANIFESTS),
        pollSeconds: e.GATEWAY_PQ_POLL_SECONDS,
      },
      trustedDocuments: { mode: e.GATEWAY_TRUSTED_DOCUMENTS, appManifest: e.GATEWAY_APP_MANIFEST },
      webAppDir: e.GATEWAY_WEB_APP_DIR,
    },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    ports,
    urls,
    postgresUrl: e.POSTGRES_URL,
    databasePrefix: e.DATABASE_PREFIX,
    dataDir: e.DATA_DIR,
    jwt: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      // Only iam signs; every other process verifies with iam's published keys.
      jwksUrl: e.JWKS_URL ?? new URL('/.well-known/jwks.json', urls.iam).toString(),
    },
    // Demo data only where a person is trying things out, unless asked for explicitly.
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV === 'development',
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownDrainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS,
    telemetry: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
    events: {
      transport,
      kafkaBrokers,
      partitions: e.KAFKA_PARTITIONS,
      replicationFactor: e.KAFKA_REPLICATION_FACTOR,
      consumeConcurrency: e.KAFKA_CONSUME_CONCURRENCY,
      maxAttempts: e.EVENT_MAX_ATTEMPTS,
      outboxRetentionMs: e.OUTBOX_RETENTION_HOURS * 3_600_000,
      inboxRetentionMs: e.INBOX_RETENTION_DAYS * 86_400_000,
    },
    writes: {
      concurrency: e.DB_WRITE_CONCURRENCY,
      queueLimit: e.DB_WRITE_QUEUE_LIMIT,
      queueTimeoutMs: e.DB_WRITE_QUEUE_TIMEOUT_MS,
      requestBudgetMs: e.DB_WRITE_REQUEST_BUDGET_MS,
      retryAfterSeconds: e.DB_OVERLOAD_RETRY_AFTER_SECONDS,
    },
    // Scrapes and schema downloads are for operators: open while developing, asked for in production.
    exposure: {
      metricsPublic: e.METRICS_PUBLIC ? e.METRICS_PUBLIC === 'true' : e.NODE_ENV !== 'production',
      metricsBearerToken: e.METRICS_BEARER_TOKEN,
      serviceSdl: e.SUBGRAPH_SERVICE_SDL ? e.SUBGRAPH_SERVICE_SDL === 'true' : e.NODE_ENV !== 'production',
    },
  };
}

/** `shop=persisted-queries/shop.json,other=https://…` → { shop: …, other: … }; a malformed entry stops the start. */
function parseManifestList(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([a-z][a-z0-9-]{1,39})=(.+)$/.exec(entry);
    if (!match) throw new ConfigError(`Invalid configuration:\n  GATEWAY_PQ_MANIFESTS: "${entry}" is not client=path-or-url`);
    out[match[1]!] = match[2]!.trim();
  }
  return out;
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

/**
 * Every setting at its default. The schema above is the one place a default is written: the
 * gateway's plugins take their option defaults from here rather than repeating the numbers.
 */
export const CONFIG_DEFAULTS: Config = loadConfig({});
