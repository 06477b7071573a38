import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../gateway/testing/harness.ts';
import { databaseFor, loadConfig, type Domain, type Env } from '../subgraphs/platform/config.ts';
import { dropDatabase, openDatabase } from '../subgraphs/platform/db/database.ts';
import { DbCommandError, main, parseArgs } from './db.ts';

const DOMAINS: Domain[] = ['orders', 'planning'];

const usageMessage = (argv: string[]) => {
  try {
    parseArgs(argv, DOMAINS);
  } catch (error) {
    expect(error).toBeInstanceOf(DbCommandError);
    return (error as Error).message;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
};

describe('db arguments', () => {
  it('reads a command, one domain or all, --to and --force', () => {
    expect(parseArgs(['status', 'orders'], DOMAINS)).toEqual({ command: 'status', domains: ['orders'], to: undefined, force: false });
    expect(parseArgs(['rollback', 'all', '--to', 'none', '--force'], DOMAINS)).toEqual({ command: 'rollback', domains: DOMAINS, to: 'none', force: true });
    expect(parseArgs(['rollback', '--to=20261121_init', 'planning'], DOMAINS)).toMatchObject({ domains: ['planning'], to: '20261121_init' });
    expect(parseArgs(['deploy', 'orders', '--help'], DOMAINS)).toBe('help');
  });

  it.each([
    [[], /say status, deploy or rollback/],
    [['migrate', 'orders'], /unknown command migrate/],
    [['status'], /say which domain \(orders, planning\) or all/],
    [['status', 'shipping'], /unknown domain shipping/],
    [['status', 'orders', 'planning'], /unexpected argument planning/],
    [['deploy', 'orders', '--to', 'x'], /--to only goes with rollback/],
    [['status', 'orders', '--force'], /--force only goes with rollback/],
    [['rollback', 'orders', '--to'], /--to needs a migration name/],
    [['rollback', 'orders', '--to', 'a', '--to', 'b'], /--to given twice/],
    [['rollback', 'all', '--to', '1_init'], /with all, --to takes only none/],
    [['rollback', 'orders', '--yes'], /unknown option --yes/],
  ])('refuses %j', (argv, message) => {
    expect(usageMessage(argv)).toMatch(message);
  });
});

/** A captured run of the command: exit code, tables, progress and errors. */
async function run(argv: string[], env: Env, dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env, io: { out: (l) => out.push(l), err: (l) => err.push(l), colour: false }, domains: DOMAINS, migrationsDir: (d) => join(dir, d) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function writeMigration(dir: string, name: string, up: string, down?: string) {
  await mkdir(join(dir, 'orders', name), { recursive: true });
  await writeFile(join(dir, 'orders', name, 'migration.sql'), up);
  if (down !== undefined) await writeFile(join(dir, 'orders', name, 'down.sql'), down);
}

const backends = await availableBackends();

// Each step opens the database afresh, as the command does; a loaded machine makes PGlite's first start slow.
const SLOW = { timeout: 180_000 };

describe.each(backends)('npm run db on %s', (backend) => {
  let dir: string;
  let env: Env;
  const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-db-cli-'));
    env =
      backend === 'pglite'
        ? { DATA_DIR: join(dir, 'data'), NO_COLOR: '1' }
        : { POSTGRES_URL: server, DATABASE_PREFIX: `vt_dbcli_${randomBytes(4).toString('hex')}`, NO_COLOR: '1' };
    await writeMigration(dir, '1_t', 'CREATE TABLE t (id int);', '-- data-loss: drops table t\nDROP TABLE t;');
    await writeMigration(dir, '2_idx', 'CREATE INDEX t_id ON t (id);', '-- Undoes 2_idx.\nDROP INDEX t_id;');
    await writeMigration(dir, '3_col', 'ALTER TABLE t ADD COLUMN x text;');
  });
  afterAll(async () => {
    if (backend === 'postgres') for (const d of DOMAINS) await dropDatabase(databaseFor(loadConfig(env), d).location);
  });

  const appliedNow = async () => (await run(['status', 'orders'], env, dir)).out.split('\n').find((l) => l.startsWith('orders'));

  it('given no database yet, then status lists every migration pending without creating one', SLOW, async () => {
    const { code, out } = await run(['status', 'orders'], env, dir);
    expect(code).toBe(0);
    expect(out).toMatch(/orders — .*\(not created yet\): 0 applied, 3 pending/);
    expect(out).toMatch(/migration\s+applied at\s+down\.sql\s+data loss on rollback/);
    expect(out).toMatch(/1_t\s+pending\s+yes\s+yes: drops table t/);
    expect(out).toMatch(/2_idx\s+pending\s+yes\s+no/);
    expect(out).toMatch(/3_col\s+pending\s+missing\s+-/);
    if (backend === 'pglite') expect(existsSync(join(dir, 'data', 'orders'))).toBe(false);
  });

  it('deploy applies what is pending, printing each step, and a second deploy has nothing to do', SLOW, async () => {
    const first = await run(['deploy', 'orders'], env, dir);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/orders: applying 1_t…\n.*applying 2_idx…\n.*applying 3_col…/);
    expect(first.err).toMatch(/applied 3 migration\(s\) in all/);
    expect((await run(['deploy', 'orders'], env, dir)).err).toMatch(/orders: up to date/);
    expect(await appliedNow()).toMatch(/3 applied, 0 pending/);
    expect((await run(['status', 'orders'], env, dir)).out).toMatch(/3_col\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+missing/);
  });

  it('rollback refuses, with exit 2 and DOWN_SCRIPT_MISSING, a step without down.sql even with --force', SLOW, async () => {
    const { code, err } = await run(['rollback', 'orders', '--force'], env, dir);
    expect(code).toBe(2);
    expect(err).toMatch(/^db: DOWN_SCRIPT_MISSING: orders: no down\.sql for 3_col/);
    expect(await appliedNow()).toMatch(/3 applied/);
  });

  it('rollback refuses a data-losing step without --force (exit 2, DATA_LOSS_REFUSED), and runs it with --force', SLOW, async () => {
    await writeFile(join(dir, 'orders', '3_col', 'down.sql'), '-- data-loss: drops column t.x\nALTER TABLE t DROP COLUMN x;');
    const refused = await run(['rollback', 'orders'], env, dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^db: DATA_LOSS_REFUSED: orders: refusing to lose data without --force: 3_col \(drops column t\.x\)/);
    expect(await appliedNow()).toMatch(/3 applied/);

    const forced = await run(['rollback', 'orders', '--force'], env, dir);
    expect(forced.code).toBe(0);
    expect(forced.err).toMatch(/\[1\/1\] rolling back 3_col \(data loss forced: drops column t\.x\)…/);
    expect((await run(['status', 'orders'], env, dir)).out).toMatch(/3_col\s+pending/);
  });

  it('rollback --to keeps that migration and needs no --force when the steps lose nothing; --to an unknown one is refused', SLOW, async () => {
    const unknown = await run(['rollback', 'orders', '--to', '9_nope'], env, dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^db: UNKNOWN_TARGET: orders: --to 9_nope is not an applied migration/);
    const { code } = await run(['rollback', 'orders', '--to', '1_t'], env, dir);
    expect(code).toBe(0);
    expect(await appliedNow()).toMatch(/1 applied, 2 pending/);
  });

  it('rollback all --to none undoes everything (with --force), and deploy brings it all back', SLOW, async () => {
    expect((await run(['rollback', 'all', '--to', 'none'], env, dir)).code).toBe(2);
    const { code, err } = await run(['rollback', 'all', '--to', 'none', '--force'], env, dir);
    expect(code).toBe(0);
    expect(err).toMatch(/planning: nothing applied, nothing to roll back/);
    expect(await appliedNow()).toMatch(/0 applied, 3 pending/);
    expect((await run(['deploy', 'orders'], env, dir)).code).toBe(0);
    expect(await appliedNow()).toMatch(/3 applied, 0 pending/);
  });

  it.runIf(backend === 'pglite')('given a service holding the PGlite folder open, then every command refuses with DATABASE_IN_USE and says to stop it', SLOW, async () => {
    const held = await openDatabase(databaseFor(loadConfig(env), 'orders'));
    try {
      for (const argv of [['status', 'orders'], ['deploy', 'orders'], ['rollback', 'orders', '--force']]) {
        const { code, err } = await run(argv, env, dir);
        expect(code).toBe(2);
        expect(err).toMatch(/^db: DATABASE_IN_USE: .*orders is open in another process \(a running service\?\).*Stop the services/);
      }
    } finally {
      await held.close();
    }
    expect((await run(['status', 'orders'], env, dir)).code).toBe(0);
  });
});

describe('npm run db without a database to work on', () => {
  it('given DATA_DIR=memory://, then it refuses with NO_DATABASE', SLOW, async () => {
    const { code, err } = await run(['status', 'orders'], { DATA_DIR: 'memory://' }, tmpdir());
    expect(code).toBe(2);
    expect(err).toMatch(/^db: NO_DATABASE: DATA_DIR=memory:\/\/ keeps nothing/);
  });

  it('given bad arguments, then exit 2 with the usage', SLOW, async () => {
    const { code, err } = await run(['rollback'], {}, tmpdir());
    expect(code).toBe(2);
    expect(err).toMatch(/^db: USAGE: say which domain[\s\S]*usage: db status\|deploy\|rollback/);
  });
});
