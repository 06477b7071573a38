/**
 * The checks behind `npm run verify`: each a small function answering {ok, detail} about one thing a
 * deployment needs. They only look; none creates a database, a topic or a key.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { databaseFor, DOMAINS, type Config, type DatabaseConfig, type Domain } from '../../subgraphs/platform/config.ts';
import { pgliteFolderInUse } from '../../subgraphs/platform/db/database.ts';
import { pendingMigrations, readMigrations, type Migration } from '../../subgraphs/platform/db/migrate.ts';
import { topicFor } from '../../subgraphs/platform/events/envelope.ts';
import { deadLetterTopic } from '../../subgraphs/platform/events/transport.ts';
import { paint, table } from './cli.ts';
import { builtDomains, migrationsDir } from './domains.ts';

/** What one check found. `skipped`: not configured here, so nothing to check (counts as a pass). */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  skipped?: boolean;
  /** How long the check took. */
  ms?: number;
}

export type Outcome = Omit<CheckResult, 'name' | 'ms'>;

/** The families `--only` selects. */
export const CHECK_GROUPS = ['node', 'database', 'kafka', 'redis', 'jwks', 'supergraph'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

export interface Check {
  name: string;
  group: CheckGroup;
  /** Past this a check fails with "no answer within …", whatever it was waiting for. */
  timeoutMs: number;
  run(timeoutMs: number): Promise<Outcome>;
}

const pass = (detail: string): Outcome => ({ ok: true, detail });
const fail = (detail: string): Outcome => ({ ok: false, detail });
const skip = (detail: string): Outcome => ({ ok: true, skipped: true, detail });

/** The message of an error and of the causes under it (kafkajs and pg wrap the socket's error). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { message?: string; code?: string; errors?: unknown[]; cause?: unknown };
    // AggregateError (both IPv4 and IPv6 refused) carries no message of its own.
    const message = e.message || (e.errors?.length ? describeError(e.errors[0]) : e.code) || String(current);
    if (!parts.includes(message)) parts.push(message);
    current = e.cause;
  }
  return parts.join(': ');
}

// ── Node ─────────────────────────────────────────────────────────────────────────────────────────

type Version = [number, number, number];

export function parseVersion(text: string): Version {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  if (!match) throw new Error(`not a version: ${text}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Whether a version satisfies an npm "engines" range: comparators (>=, >, <=, <, =), ^ and ~,
 * x-ranges and partial versions, joined by spaces (and) and || (or). Throws on anything else, so a
 * range it cannot read fails loudly instead of passing.
 */
export function satisfiesRange(version: string, range: string): boolean {
  const v = parseVersion(version);
  // Every comparator is read before any is applied, so an unreadable one cannot hide behind a short circuit.
  const alternatives = range.split('||').map((alternative) =>
    alternative.trim().split(/\s+/).filter(Boolean).map((c) => satisfiesComparator(v, c, range)),
  );
  return alternatives.some((results) => results.every(Boolean));
}

function satisfiesComparator(v: Version, comparator: string, range: string): boolean {
  const match = /^(>=|<=|>|<|=|\^|~)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/.exec(comparator);
  if (!match) throw new Error(`unsupported engines range "${range}" (at "${comparator}")`);
  const op = match[1] ?? '';
  const parts = [match[2], match[3], match[4]].map((p) => (p === undefined || /[xX*]/.test(p) ? undefined : Number(p)));
  const given = parts.findIndex((p) => p === undefined);
  const precision = given === -1 ? 3 : given; // how many leading parts are fixed
  const base: Version = [parts[0] ?? 0, precision > 1 ? parts[1]! : 0, precision > 2 ? parts[2]! : 0];
  /** The first version past the fixed parts: 1.2 → 1.3.0, 1 → 2.0.0. */
  const bump = (at: number): Version =>
    at === 0 ? [base[0] + 1, 0, 0] : at === 1 ? [base[0], base[1] + 1, 0] : [base[0], base[1], base[2] + 1];
  const within = (lower: Version, upper: Version) => compareVersions(v, lower) >= 0 && compareVersions(v, upper) < 0;
  if (precision === 0) return true; // *, x
  switch (op) {
    case '>=':
      return compareVersions(v, base) >= 0;
    case '<':
      return compareVersions(v, base) < 0;
    case '>':
      return compareVersions(v, bump(precision - 1)) >= 0;
    case '<=':
      return compareVersions(v, bump(precision - 1)) < 0;
    case '^': {
      // Leftmost non-zero part stays; 0.x and 0.0.x are stricter, as npm has it.
      const fixed = base[0] !== 0 || precision === 1 ? 0 : base[1] !== 0 || precision === 2 ? 1 : 2;
      return within(base, bump(fixed));
    }
    case '~':
      return within(base, bump(precision === 1 ? 0 : 1));
    default:
      return within(base, bump(precision - 1));
  }
}

export function checkNode(version: string, range: string | undefined): Outcome {
  if (!range) return skip(`${version}; package.json has no engines.node`);
  try {
    return satisfiesRange(version, range) ? pass(`${version} satisfies ${range}`) : fail(`${version} does not satisfy ${range}`);
  } catch (error) {
    return fail((error as Error).message);
  }
}

// ── Databases ───────────────────────────────────────────────────────────────────────────────────

/** host:port/database of a PostgreSQL URL, without the credentials. */
export function describePostgres(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/** Pending migrations as a detail: "2 migrations pending: a, b". */
export function pendingDetail(pending: readonly string[], total: number): string {
  if (!pending.length) return `${total} of ${total} migrations applied`;
  return `${pending.length} migration${pending.length === 1 ? '' : 's'} pending: ${pending.join(', ')}`;
}

type Query = <T>(sql: string) => Promise<T[]>;

/**
 * Pending migrations (as readiness counts them) and applied ones whose file changed since: the next
 * start refuses those (MigrationError), so they fail here too.
 */
async function migrationState(query: Query, migrations: Migration[]): Promise<Outcome> {
  const pending = await pendingMigrations({ query }, migrations);
  const problems = pending.length ? [pendingDetail(pending, migrations.length)] : [];
  if (pending.length < migrations.length) {
    const rows = await query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const edited = migrations.filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum).map((m) => m.name);
    if (edited.length) problems.push(`edited after they were applied (checksum differs): ${edited.join(', ')}`);
  }
  return problems.length ? fail(problems.join('; ')) : pass(pendingDetail([], migrations.length));
}

const located = (where: string, outcome: Outcome): Outcome => ({ ...outcome, detail: `${where}: ${outcome.detail}` });

/**
 * One domain's database: reachable (without creating it) and every committed migration applied.
 * `readyUrl`: the readiness endpoint of the subgraph that serves this domain, asked instead when
 * its PGlite folder is held by a running graph (a folder has one process at a time).
 */
export async function checkDatabase(database: DatabaseConfig, migrations: Migration[], timeoutMs: number, readyUrl?: string): Promise<Outcome> {
  if (database.kind === 'postgres') return checkPostgres(database.location, migrations, timeoutMs);
  return checkPglite(database.location, migrations, timeoutMs, readyUrl);
}

async function checkPostgres(url: string, migrations: Migration[], timeoutMs: number): Promise<Outcome> {
  const where = describePostgres(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    // 3D000: the server answers, the database is not there.
    if ((error as { code?: string }).code === '3D000') return fail(`${where}: database does not exist (the first start creates it)`);
    return fail(`${where}: cannot connect: ${describeError(error)}`);
  }
  try {
    return located(where, await migrationState(async <T>(sql: string) => (await client.query(sql)).rows as T[], migrations));
  } catch (error) {
    return fail(`${where}: ${describeError(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkPglite(location: string, migrations: Migration[], timeoutMs: number, readyUrl?: string): Promise<Outcome> {
  if (location === 'memory://') return skip('DATA_DIR is memory://: every start begins empty and migrates');
  if (!existsSync(join(location, 'PG_VERSION'))) return fail(`${location}: no database there (the first start creates it)`);
  if (pgliteFolderInUse(location)) return checkThroughRunningGraph(location, migrations, timeoutMs, readyUrl);
  const db = await PGlite.create(location);
  try {
    return located(location, await migrationState(async <T>(sql: string) => (await db.query<T>(sql)).rows, migrations));
  } finally {
    await db.close();
  }
}

/**
 * A folder held by the running graph (the usual case while `npm start` runs) is fine when the
 * subgraph serving it answers ready: its readiness counts pending migrations on that very database.
 */
async function checkThroughRunningGraph(location: string, migrations: Migration[], timeoutMs: number, readyUrl?: string): Promise<Outcome> {
  const crashed = `${location}: marked in use (postmaster.pid), and no graph answers${readyUrl ? ` at ${readyUrl}` : ''}: left by one that crashed? Stop any graph using it, then remove ${join(location, 'postmaster.pid')}`;
  if (!readyUrl) return fail(crashed);
  const res = await fetch(readyUrl, { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined);
  if (!res) return fail(crashed);
  const body = (await res.json().catch(() => ({}))) as { reason?: unknown; status?: unknown };
  if (!res.ok) return fail(`${location}: in use by the running graph, which is not ready at ${readyUrl}: ${String(body.reason ?? body.status ?? res.status)}`);
  return pass(`${location}: in use by the running graph, ready at ${readyUrl}: ${pendingDetail([], migrations.length)}`);
}

// ── Kafka ───────────────────────────────────────────────────────────────────────────────────────

/** Every topic the graph's events need: each domain's topic and its dead-letter topic (runtime.ts creates these at start). */
export const requiredTopics = (): string[] => DOMAINS.flatMap((d) => [topicFor(d), deadLetterTopic(topicFor(d))]);

/** The brokers answer and every required topic exists (a missing one is named, not created). */
export async function checkKafka(brokers: readonly string[], topics: readonly string[], timeoutMs: number): Promise<Outcome> {
  const kafka = new Kafka({
    clientId: 'voidtracker-verify',
    brokers: [...brokers],
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    // One attempt: verify reports what is, it does not wait for a broker to come back.
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const where = brokers.join(',');
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) return fail(`${where}: ${missing.length} of ${topics.length} topics missing: ${missing.join(', ')}`);
    return pass(`${where}: all ${topics.length} topics exist`);
  } catch (error) {
    return fail(`${where}: cannot reach Kafka: ${describeError(error)}`);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

// ── Redis ───────────────────────────────────────────────────────────────────────────────────────

export async function checkRedis(url: string, timeoutMs: number): Promise<Outcome> {
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || '6379'}`;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis reports the socket's error here; the promise only says "Connection is closed".
  let lastError: unknown;
  client.on('error', (error) => {
    lastError = error;
  });
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG' ? pass(`${where}: PING answered PONG`) : fail(`${where}: PING answered ${answer}`);
  } catch (error) {
    return fail(`${where}: cannot reach Redis: ${describeError(lastError ?? error)}`);
  } finally {
    client.disconnect();
  }
}

// ── JWKS ────────────────────────────────────────────────────────────────────────────────────────

/** The URL answers 200 with a JSON Web Key Set holding at least one key with a kid. */
export async function checkJwks(url: string, timeoutMs: number): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (error) {
    return fail(`${url}: cannot fetch: ${describeError(error)}`);
  }
  if (!response.ok) return fail(`${url}: HTTP ${response.status}`);
  let body: { keys?: Array<{ kty?: string; kid?: string; alg?: string }> };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    return fail(`${url}: the answer is not JSON`);
  }
  const keys = Array.isArray(body?.keys) ? body.keys.filter((k) => typeof k?.kty === 'string' && typeof k?.kid === 'string') : [];
  if (!keys.length) return fail(`${url}: no usable keys (a JWKS needs keys with kty and kid)`);
  const algs = [...new Set(keys.map((k) => k.alg ?? k.kty))].join(', ');
  return pass(`${url}: ${keys.length} key${keys.length === 1 ? '' : 's'} (${algs})`);
}

// ── Supergraph ──────────────────────────────────────────────────────────────────────────────────

/** The subgraphs' schemas compose, and into exactly the committed supergraph the gateway serves. */
export async function checkSupergraph(supergraphPath: string, yamlPath = 'supergraph.yaml'): Promise<Outcome> {
  // Loaded here: it imports every subgraph, which the other checks never need.
  const { compose, printSubgraphs, readSupergraphConfig } = await import('./composition.ts');
  let composed: string;
  let count: number;
  try {
    const sdls = printSubgraphs();
    count = sdls.size;
    composed = compose(await readSupergraphConfig(yamlPath), sdls);
  } catch (error) {
    return fail(`does not compose: ${describeError(error).split('\n').map((l) => l.trim()).filter(Boolean).join('; ')}`);
  }
  const committed = await readFile(supergraphPath, 'utf8').catch(() => undefined);
  if (committed === undefined) return fail(`${count} subgraphs compose, but ${supergraphPath} is missing (npm run compose)`);
  if (committed !== composed) return fail(`${count} subgraphs compose, but differ from ${supergraphPath} (npm run compose, and commit it)`);
  return pass(`${count} subgraphs compose into ${supergraphPath}`);
}

// ── Plan, run, report ───────────────────────────────────────────────────────────────────────────

export interface PlanOptions {
  /** package.json's engines.node. */
  enginesNode: string | undefined;
  nodeVersion?: string;
  /** Kept from the raw environment: the config fills in a default JWKS URL, but only an explicit one says where keys are served. */
  jwksUrl: string | undefined;
  /** Overrides each check's own timeout. */
  timeoutMs?: number;
  only?: readonly CheckGroup[];
  /** The topics Kafka must hold (default: requiredTopics()). */
  topics?: readonly string[];
  /** Where migrations are read from (default prisma/<domain>/migrations). */
  migrationsFor?: (domain: Domain) => string;
  /** Domains whose databases are checked (default: every domain with a Prisma schema in this checkout). */
  domains?: readonly Domain[];
}

/** The checks for this configuration, in the order they are printed. */
export function planChecks(config: Config, options: PlanOptions): Check[] {
  const t = (own: number) => options.timeoutMs ?? own;
  const nodeVersion = options.nodeVersion ?? process.versions.node;
  const domains = options.domains ?? builtDomains();
  const dir = options.migrationsFor ?? migrationsDir;
  const checks: Check[] = [
    { name: 'node', group: 'node', timeoutMs: t(1_000), run: async () => checkNode(nodeVersion, options.enginesNode) },
    ...domains.map(
      (domain): Check => ({
        name: `database:${domain}`,
        group: 'database',
        // PGlite loads its WebAssembly and replays its log before it can answer.
        timeoutMs: t(30_000),
        run: async (timeoutMs) =>
          checkDatabase(databaseFor(config, domain), await readMigrations(dir(domain)), timeoutMs, new URL('/health/ready', config.urls[domain]).toString()),
      }),
    ),
    {
      name: 'kafka',
      group: 'kafka',
      timeoutMs: t(10_000),
      run: async (timeoutMs) =>
        config.events.transport === 'kafka'
          ? checkKafka(config.events.kafkaBrokers, options.topics ?? requiredTopics(), timeoutMs)
          : skip('events travel on the in-process bus (KAFKA_BROKERS unset)'),
    },
    {
      name: 'redis',
      group: 'redis',
      timeoutMs: t(5_000),
      run: async (timeoutMs) => (config.redis.url ? checkRedis(config.redis.url, timeoutMs) : skip('REDIS_URL unset: each gateway keeps its state in memory')),
    },
    {
      name: 'jwks',
      group: 'jwks',
      timeoutMs: t(5_000),
      run: async (timeoutMs) =>
        options.jwksUrl ? checkJwks(options.jwksUrl, timeoutMs) : skip('JWKS_URL unset: subgraphs read the keys of the iam they start with'),
    },
    {
      name: 'supergraph',
      group: 'supergraph',
      // Printing and composing seven schemas is seconds of CPU on a busy machine.
      timeoutMs: t(120_000),
      run: async () => checkSupergraph(config.gateway.supergraphPath),
    },
  ];
  return options.only?.length ? checks.filter((c) => options.only!.includes(c.group)) : checks;
}

/** Runs one check under its timeout; a throw is a failure with the error as its detail. */
export async function runCheck(check: Check, timeoutMs = check.timeoutMs): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve(fail(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check.run(timeoutMs).catch((error: unknown) => fail(describeError(error))), timeout]);
    return { name: check.name, ...outcome, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the checks one after another (PGlite folders and composition are memory-hungry), reporting each as it starts. */
export async function runChecks(checks: readonly Check[], progress: (line: string) => void = () => {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [i, check] of checks.entries()) {
    progress(`[${i + 1}/${checks.length}] ${check.name}…`);
    results.push(await runCheck(check));
  }
  return results;
}

export const statusOf = (r: CheckResult): 'PASS' | 'FAIL' | 'SKIP' => (!r.ok ? 'FAIL' : r.skipped ? 'SKIP' : 'PASS');

/** The PASS/FAIL table and a summary line. */
export function formatResults(results: readonly CheckResult[], colour: boolean): string[] {
  const tone = { PASS: 'pass', FAIL: 'fail', SKIP: 'dim' } as const;
  const rows = results.map((r) => {
    const status = statusOf(r);
    return [paint(status, tone[status], colour), r.name, r.ms === undefined ? '' : `${r.ms} ms`, r.detail];
  });
  const failed = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.ok && r.skipped).length;
  const summary = failed
    ? paint(`${failed} of ${results.length} checks failed`, 'fail', colour)
    : paint(`all ${results.length - skipped} checks passed`, 'pass', colour) + (skipped ? ` (${skipped} skipped: not configured)` : '');
  return [...table(['status', 'check', 'time', 'detail'], rows), '', summary];
}

/** For --json: stable field names a monitoring job can read. */
export function toJson(results: readonly CheckResult[]): string {
  return JSON.stringify(
    { ok: results.every((r) => r.ok), checks: results.map((r) => ({ name: r.name, status: statusOf(r), ok: r.ok, detail: r.detail, ms: r.ms })) },
    null,
    2,
  );
}

/** 0 when every check passed (or had nothing to check), 1 when any failed. */
export const exitCode = (results: readonly CheckResult[]): number => (results.every((r) => r.ok) ? 0 : 1);
