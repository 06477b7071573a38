import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestGraph, type TestGraph } from '../gateway/testing/harness.ts';
import { availableRedis } from '../gateway/testing/edge.ts';
import { databaseFor, loadConfig, type Env } from '../subgraphs/platform/config.ts';
import { dropDatabase, openDatabase } from '../subgraphs/platform/db/database.ts';
import { applyMigrations, readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { acquireBroker, brokerSource } from './kafka/harness.ts';
import { createEventTransport } from '../subgraphs/platform/events/runtime.ts';
import { runId } from '../subgraphs/platform/events/testing/test-support.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { builtDomains, migrationsDir } from './lib/domains.ts';
import { main } from './verify.ts';
import type { Io } from './lib/cli.ts';

const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const backends = await availableBackends();
const redisUrl = await availableRedis();
const source = await brokerSource();
// Under CI a missing broker must fail, not skip: then the suite starts and its beforeAll throws.
const kafkaSkip = source.missing && !source.inCi ? source.missing : undefined;
if (kafkaSkip) console.warn(`verify Kafka suite skipped: ${kafkaSkip}`);

interface Run {
  code: number;
  rows: Map<string, { status: string; detail: string }>;
  stdout: string;
}

/** Runs `npm run verify` in-process, as JSON, and indexes its rows by check name. */
async function verify(env: Env, argv: string[] = [], plan: Parameters<typeof main>[3] = {}): Promise<Run> {
  const out: string[] = [];
  const io: Io = { out: (l) => void out.push(l), err: () => {}, colour: false };
  const code = await main(['--json', ...argv], { NODE_ENV: 'test', ...env }, io, plan);
  const parsed = JSON.parse(out.join('\n')) as { checks: Array<{ name: string; status: string; detail: string }> };
  return { code, rows: new Map(parsed.checks.map((c) => [c.name, c])), stdout: out.join('\n') };
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function migrateAll(env: Env): Promise<void> {
  const config = loadConfig(env);
  for (const domain of builtDomains()) {
    const db = await openDatabase(databaseFor(config, domain));
    try {
      await applyMigrations(db, await readMigrations(migrationsDir(domain)));
    } finally {
      await db.close();
    }
  }
}

/** `npm run verify` beside `npm start`: the graph holds every folder, and that is how it should be. */
describe('verify while the embedded graph runs on the data dir', () => {
  let dataDir: string;
  let graph: TestGraph | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-verify-running-'));
    graph = await startTestGraph('pglite', { DATA_DIR: dataDir });
  }, 300_000);
  afterAll(async () => {
    await graph?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given every folder held by the running graph, then every database row passes through its readiness and it exits 0', async () => {
    const urls = Object.fromEntries(graph!.graph.subgraphs.map((s) => [`${s.name.toUpperCase()}_URL`, s.url]));
    const run = await verify({ DATA_DIR: dataDir, ...urls }, ['--only', 'database']);
    for (const domain of builtDomains()) {
      expect(run.rows.get(`database:${domain}`), domain).toMatchObject({ status: 'PASS', detail: expect.stringContaining('in use by the running graph, ready at') });
    }
    expect(run.code).toBe(0);
  }, 120_000);
});

describe('verify on a PGlite data dir', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-verify-'));
    await migrateAll({ DATA_DIR: dataDir });
  }, 300_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given every domain migrated and nothing else configured, then every check passes and it exits 0', async () => {
    const run = await verify({ DATA_DIR: dataDir });

    expect(run.code, run.stdout).toBe(0);
    for (const domain of builtDomains()) {
      expect(run.rows.get(`database:${domain}`)).toMatchObject({ status: 'PASS', detail: expect.stringMatching(/(\d+) of \1 migrations applied/) });
    }
    expect(run.rows.get('node')?.status).toBe('PASS');
    expect(run.rows.get('supergraph')).toMatchObject({ status: 'PASS', detail: expect.stringContaining('schemas/supergraph.graphql') });
    expect(run.rows.get('kafka')?.status).toBe('SKIP');
    expect(run.rows.get('redis')?.status).toBe('SKIP');
  }, 180_000);

  it('given the last orders migration not applied, then database:orders fails naming it, the rest pass, and it exits 1', async () => {
    // Given: the migration's record gone is what a database looks like before a deploy applies it
    const last = (await readMigrations(migrationsDir('orders'))).at(-1)!.name;
    const db = await openDatabase({ kind: 'pglite', location: join(dataDir, 'orders') });
    await db.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [last]);
    await db.close();

    const run = await verify({ DATA_DIR: dataDir }, ['--only', 'database']);

    expect(run.code).toBe(1);
    expect(run.rows.get('database:orders')).toMatchObject({ status: 'FAIL', detail: `${join(dataDir, 'orders')}: 1 migration pending: ${last}` });
    expect(run.rows.get('database:iam')?.status).toBe('PASS');
    expect(run.rows.has('supergraph')).toBe(false);
  }, 120_000);

  it('given an applied migration whose file changed since, then its row fails naming it', async () => {
    const first = (await readMigrations(migrationsDir('planning')))[0]!.name;
    const db = await openDatabase({ kind: 'pglite', location: join(dataDir, 'planning') });
    await db.query(`UPDATE "_prisma_migrations" SET checksum = 'edited' WHERE migration_name = $1`, [first]);
    await db.close();

    const run = await verify({ DATA_DIR: dataDir }, ['--only', 'database']);

    expect(run.code).toBe(1);
    expect(run.rows.get('database:planning')).toMatchObject({
      status: 'FAIL',
      detail: `${join(dataDir, 'planning')}: edited after they were applied (checksum differs): ${first}`,
    });
  }, 120_000);

  it('given a domain folder held open and no graph answering for it, then its row fails saying it may be left by a crash, instead of opening it twice', async () => {
    const held = await openDatabase({ kind: 'pglite', location: join(dataDir, 'iam') });
    try {
      const run = await verify({ DATA_DIR: dataDir, IAM_PORT: String(await closedPort()) }, ['--only', 'database']);
      expect(run.code).toBe(1);
      expect(run.rows.get('database:iam')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('no graph answers') });
      // Orders and planning were left unmigrated and edited by the tests above: billing is untouched.
      expect(run.rows.get('database:billing')).toMatchObject({ status: 'PASS' });
    } finally {
      await held.close();
    }
  }, 120_000);

  it('given a data dir never started, then every database row fails and none is created', async () => {
    const empty = join(dataDir, 'never-started');
    const run = await verify({ DATA_DIR: empty }, ['--only', 'database']);
    expect(run.code).toBe(1);
    expect(run.rows.get('database:billing')).toMatchObject({ status: 'FAIL', detail: `${join(empty, 'billing')}: no database there (the first start creates it)` });
    const { existsSync } = await import('node:fs');
    expect(existsSync(empty)).toBe(false);
  }, 60_000);
});

describe('verify with an unreachable database', () => {
  it('given POSTGRES_URL on a closed port, then every database row fails with the connection error and it exits 1', async () => {
    const port = await closedPort();
    const run = await verify({ POSTGRES_URL: `postgres://postgres@127.0.0.1:${port}/postgres` }, ['--only', 'database']);
    expect(run.code).toBe(1);
    for (const domain of builtDomains()) {
      expect(run.rows.get(`database:${domain}`)).toMatchObject({
        status: 'FAIL',
        detail: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}/voidtracker_${domain}: cannot connect: .*ECONNREFUSED`)),
      });
    }
  }, 60_000);
});

describe.skipIf(!backends.includes('postgres'))('verify on PostgreSQL', () => {
  const prefix = `vt_verify_${randomBytes(4).toString('hex')}`;
  const env = { POSTGRES_URL: POSTGRES, DATABASE_PREFIX: prefix };

  beforeAll(async () => {
    await migrateAll(env);
  }, 300_000);
  afterAll(async () => {
    const config = loadConfig(env);
    for (const domain of builtDomains()) await dropDatabase(databaseFor(config, domain).location);
  }, 120_000);

  it('given every domain database migrated, then every database row passes and it exits 0', async () => {
    const run = await verify(env, ['--only', 'database,node']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.rows.get('database:orders')).toMatchObject({ status: 'PASS', detail: expect.stringMatching(new RegExp(`/${prefix}_orders: (\\d+) of \\1 migrations applied`)) });
  }, 120_000);

  it('given one migration record gone, then that row fails naming it', async () => {
    const last = (await readMigrations(migrationsDir('billing'))).at(-1)!.name;
    const db = await openDatabase(databaseFor(loadConfig(env), 'billing'));
    await db.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [last]);
    await db.close();

    const run = await verify(env, ['--only', 'database']);

    expect(run.code).toBe(1);
    expect(run.rows.get('database:billing')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining(`1 migration pending: ${last}`) });
    expect(run.rows.get('database:orders')?.status).toBe('PASS');
  }, 120_000);

  it('given a prefix whose databases do not exist, then the rows fail and verify does not create them', async () => {
    const absent = `vt_verify_absent_${randomBytes(4).toString('hex')}`;
    const run = await verify({ POSTGRES_URL: POSTGRES, DATABASE_PREFIX: absent }, ['--only', 'database']);
    expect(run.code).toBe(1);
    expect(run.rows.get('database:iam')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining(`/${absent}_iam: database does not exist`) });
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    try {
      const found = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${absent}%`]);
      expect(found.rows).toEqual([]);
    } finally {
      await client.end();
    }
  }, 60_000);
});

describe('verify Kafka', () => {
  it('given KAFKA_BROKERS on a closed port, then the kafka row fails and it exits 1', async () => {
    const port = await closedPort();
    const run = await verify({ KAFKA_BROKERS: `127.0.0.1:${port}`, DATA_DIR: 'memory://' }, ['--only', 'kafka']);
    expect(run.code).toBe(1);
    expect(run.rows.get('kafka')).toMatchObject({ status: 'FAIL', detail: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}: cannot reach Kafka: .*ECONNREFUSED`)) });
  }, 60_000);
});

/**
 * Until the broker's metadata lists every topic. Not createTopics' waitForLeaders (on unless turned off): kafkajs gives up
 * on the "does not host this topic-partition" a just-created topic answers for a moment.
 */
async function untilListed(admin: Admin, names: readonly string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed = new Set(await admin.listTopics());
    if (names.every((n) => listed.has(n))) return;
    if (Date.now() > deadline) throw new Error(`topics never listed: ${names.filter((n) => !listed.has(n)).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(kafkaSkip !== undefined)('verify on a real Kafka', () => {
  let broker: { brokers: string[]; stop(): Promise<void> } | undefined;
  // Topics of this run only: a shared broker may already hold the graph's own.
  const id = runId();
  const topics = ['orders', 'billing'].flatMap((d) => [`verify-${id}.${d}`, `verify-${id}.${d}.dlq`]);

  beforeAll(async () => {
    broker = await acquireBroker(source);
  }, 10 * 60_000);
  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  it('given one needed topic missing, then the kafka row fails naming it; once it exists, it passes', async () => {
    const admin = new Kafka({ brokers: broker!.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      // Given: all but the last
      await admin.createTopics({ topics: topics.slice(0, -1).map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: false });
      await untilListed(admin, topics.slice(0, -1));
      const env = { KAFKA_BROKERS: broker!.brokers.join(','), DATA_DIR: 'memory://' };

      const missing = await verify(env, ['--only', 'kafka'], { topics });
      expect(missing.code).toBe(1);
      expect(missing.rows.get('kafka')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining(`1 of 4 topics missing: ${topics[3]}`) });

      await admin.createTopics({ topics: [{ topic: topics[3]!, numPartitions: 1 }], waitForLeaders: false });
      await untilListed(admin, topics);
      const complete = await verify(env, ['--only', 'kafka'], { topics });
      expect(complete.code).toBe(0);
      expect(complete.rows.get('kafka')).toMatchObject({ status: 'PASS', detail: expect.stringContaining('all 4 topics exist') });
    } finally {
      await admin.deleteTopics({ topics }).catch(() => {});
      await admin.disconnect();
    }
  }, 120_000);

  // Only on a broker of this run's own: on a shared one the graph's topics may already be there.
  it.skipIf(source.external.length > 0)(
    "given a fresh broker, then the graph's own topics are missing until a graph's transport starts, and then all pass",
    async () => {
      const env = { KAFKA_BROKERS: broker!.brokers.join(','), DATA_DIR: 'memory://' };
      const before = await verify(env, ['--only', 'kafka']);
      expect(before.code).toBe(1);
      expect(before.rows.get('kafka')?.detail).toContain('14 of 14 topics missing: voidtracker.iam, voidtracker.iam.dlq');

      // What every process of the graph does at start: the topics verify asks for are exactly these.
      const transport = await createEventTransport(loadConfig(env), createLogger('silent'), 'verify-test');
      await transport.close();

      const after = await verify(env, ['--only', 'kafka']);
      expect(after.code, after.stdout).toBe(0);
      expect(after.rows.get('kafka')?.detail).toContain('all 14 topics exist');
    },
    120_000,
  );
});

describe('verify Redis', () => {
  it('given REDIS_URL on a closed port, then the redis row fails and it exits 1', async () => {
    const port = await closedPort();
    const run = await verify({ REDIS_URL: `redis://127.0.0.1:${port}`, DATA_DIR: 'memory://' }, ['--only', 'redis']);
    expect(run.code).toBe(1);
    expect(run.rows.get('redis')).toMatchObject({ status: 'FAIL', detail: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}: cannot reach Redis: .*ECONNREFUSED`)) });
  }, 30_000);

  it.skipIf(!redisUrl)('given a Redis that answers, then the redis row passes', async () => {
    const run = await verify({ REDIS_URL: redisUrl!, DATA_DIR: 'memory://' }, ['--only', 'redis']);
    expect(run.code).toBe(0);
    expect(run.rows.get('redis')).toMatchObject({ status: 'PASS', detail: expect.stringContaining('PONG') });
  }, 30_000);
});

describe('verify JWKS', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
    server = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      else if (req.url === '/empty') res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('given JWKS_URL serving a key set, then the jwks row passes', async () => {
    const run = await verify({ JWKS_URL: `${base}/.well-known/jwks.json`, DATA_DIR: 'memory://' }, ['--only', 'jwks']);
    expect(run.code).toBe(0);
    expect(run.rows.get('jwks')).toMatchObject({ status: 'PASS', detail: expect.stringContaining('1 key (ES256)') });
  });

  it.each([
    ['/missing', 'HTTP 404'],
    ['/empty', 'no usable keys'],
  ])('given JWKS_URL at %s, then the jwks row fails with "%s"', async (path, detail) => {
    const run = await verify({ JWKS_URL: `${base}${path}`, DATA_DIR: 'memory://' }, ['--only', 'jwks']);
    expect(run.code).toBe(1);
    expect(run.rows.get('jwks')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining(detail) });
  });
});

describe('verify against a server that accepts and never answers', () => {
  let silent: NetServer;
  let port: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    silent = createNetServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it.each([
    ['redis', { REDIS_URL: 'redis://127.0.0.1:PORT' }],
    ['kafka', { KAFKA_BROKERS: '127.0.0.1:PORT' }],
    ['jwks', { JWKS_URL: 'http://127.0.0.1:PORT/jwks.json' }],
    ['database', { POSTGRES_URL: 'postgres://postgres@127.0.0.1:PORT/postgres' }],
  ])('given %s hanging, then with --timeout its rows fail instead of waiting', async (check, env) => {
    const withPort = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('PORT', String(port))]));
    const run = await verify({ ...withPort, DATA_DIR: 'memory://' }, ['--only', check, '--timeout', '1000']);
    expect(run.code).toBe(1);
    const rows = [...run.rows.entries()];
    expect(rows.length).toBeGreaterThan(0);
    // Each row ended on the given 1000 ms, not on its own default (5 to 30 s) nor on the silent socket.
    for (const [name, row] of rows) expect([name, row.status, row.detail]).toEqual([name, 'FAIL', 'no answer within 1000 ms']);
  }, 60_000);
});

describe('the verify command', () => {
  const run = (args: string[], env: Env) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('exits with a failure status and prints the failing row when a check fails, and 0 when all pass', async () => {
    const port = await closedPort();
    const failing = run(['--only', 'node,redis'], { REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(failing.status, failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/^FAIL\s+redis\s/m);
    expect(failing.stdout).toMatch(/^PASS\s+node\s/m);
    expect(failing.stderr).toContain('verify: [2/2] redis');

    const passing = run(['--only', 'node'], {});
    expect(passing.status, passing.stderr).toBe(0);
    expect(passing.stdout).toContain('all 1 checks passed');
  }, 120_000);
});

describe('verify arguments and configuration', () => {
  it.each([[['--only', 'nope']], [['--timeout', 'soon']], [['--only']], [['stray']]])('given %j, then it exits 2 with the usage', async (argv) => {
    const err: string[] = [];
    const code = await main(argv, {}, { out: () => {}, err: (l) => void err.push(l), colour: false });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('usage: verify');
  });

  it('given a configuration the graph would refuse, then a config row fails with the reason', async () => {
    const run = await verify({ EVENT_TRANSPORT: 'kafka' });
    expect(run.code).toBe(1);
    expect(run.rows.get('config')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('KAFKA_BROKERS: required when EVENT_TRANSPORT is kafka') });
  });
});
