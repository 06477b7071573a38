import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { applyMigrations, type Migration } from './migrate.ts';
import {
  appliedMigrations,
  applyRollback,
  migrationStatus,
  parseDownScript,
  planRollback,
  readDownScripts,
  RollbackError,
  type DownScript,
} from './rollback.ts';

const m = (name: string, sql: string): Migration => ({ name, sql, checksum: `sum-${name}` });
const applied = (...names: string[]) => names.map((name, i) => ({ name, appliedAt: new Date(Date.UTC(2026, 0, 1 + i)) }));
const safe = (sql = 'SELECT 1'): DownScript => ({ sql, dataLoss: undefined });
const losing = (why: string): DownScript => ({ sql: 'SELECT 1', dataLoss: why });

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof RollbackError) return error.code;
    throw error;
  }
  return 'none';
};

describe('down.sql marker', () => {
  it('given "-- data-loss: <why>" as the first line, then undoing is data-losing for that reason', () => {
    expect(parseDownScript('-- data-loss: drops table Order\nDROP TABLE "Order";').dataLoss).toBe('drops table Order');
    expect(parseDownScript('-- DATA-LOSS:\nDROP TABLE "Order";').dataLoss).toMatch(/no reason given/);
  });

  it('given the marker anywhere but the first line, or no marker, then it is not data-losing', () => {
    expect(parseDownScript('-- Undoes x.\n-- data-loss: not here\nDROP INDEX "i";').dataLoss).toBeUndefined();
    expect(parseDownScript('DROP INDEX "i";').dataLoss).toBeUndefined();
  });

  it('reads down.sql beside each migration, and none for a migration without one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vt-down-'));
    await mkdir(join(dir, '1_a'));
    await mkdir(join(dir, '2_b'));
    await writeFile(join(dir, '1_a', 'down.sql'), '-- data-loss: drops table a\nDROP TABLE a;');
    const downs = await readDownScripts(dir, ['1_a', '2_b']);
    expect(downs.get('1_a')?.dataLoss).toBe('drops table a');
    expect(downs.get('2_b')).toBeUndefined();
  });
});

describe('planning a rollback', () => {
  const downs = new Map<string, DownScript | undefined>([
    ['1_init', losing('drops table t')],
    ['2_index', safe()],
    ['3_column', losing('drops column t.x')],
    ['4_other_index', safe()],
  ]);

  it('given no --to, then only the newest applied migration is undone', () => {
    expect(planRollback(applied('1_init', '2_index', '4_other_index'), downs).map((s) => s.name)).toEqual(['4_other_index']);
  });

  it('given --to, then everything after it is undone newest first, and it stays', () => {
    const steps = planRollback(applied('1_init', '2_index', '3_column', '4_other_index'), downs, { to: '2_index', force: true });
    expect(steps.map((s) => s.name)).toEqual(['4_other_index', '3_column']);
  });

  it('given --to none, then every applied migration is undone', () => {
    expect(planRollback(applied('1_init', '2_index'), downs, { to: 'none', force: true }).map((s) => s.name)).toEqual(['2_index', '1_init']);
  });

  it('given a data-losing step without force, then the whole plan is refused with DATA_LOSS_REFUSED naming it', () => {
    const all = applied('1_init', '2_index', '3_column', '4_other_index');
    expect(codeOf(() => planRollback(all, downs, { to: '2_index' }))).toBe('DATA_LOSS_REFUSED');
    expect(() => planRollback(all, downs, { to: '2_index' })).toThrow(/3_column \(drops column t\.x\)/);
    // The same plan with only safe steps needs no force.
    expect(planRollback(all, downs, { to: '3_column' }).map((s) => s.name)).toEqual(['4_other_index']);
  });

  it('given a step without down.sql, then it is refused even with force', () => {
    const all = applied('1_init', '2_index', '5_no_down');
    expect(codeOf(() => planRollback(all, downs, { force: true }))).toBe('DOWN_SCRIPT_MISSING');
    expect(() => planRollback(all, downs, { force: true })).toThrow(/5_no_down/);
  });

  it('given --to a migration that is not applied, then UNKNOWN_TARGET', () => {
    expect(codeOf(() => planRollback(applied('1_init'), downs, { to: '2_index' }))).toBe('UNKNOWN_TARGET');
  });

  it('given --to the newest applied migration, then there is nothing to do', () => {
    expect(planRollback(applied('1_init', '2_index'), downs, { to: '2_index' })).toEqual([]);
  });
});

describe('status rows', () => {
  it('lists checkout and database migrations together in order, with applied time and down.sql', () => {
    const rows = migrationStatus(
      [{ name: '1_a' }, { name: '3_c' }],
      applied('1_a', '2_gone'),
      new Map([['1_a', losing('drops table a')], ['3_c', undefined]]),
    );
    expect(rows.map((r) => [r.name, !!r.appliedAt, r.inCheckout, r.down?.dataLoss ?? (r.down ? 'safe' : 'missing')])).toEqual([
      ['1_a', true, true, 'drops table a'],
      ['2_gone', true, false, 'missing'],
      ['3_c', false, true, 'missing'],
    ]);
  });
});

// PGlite's first start in a process (initdb) takes seconds, many more on a loaded machine.
const SLOW = { timeout: 180_000 };

describe('running a rollback on an embedded database', () => {
  const migrations = [m('1_t', 'CREATE TABLE t (id int)'), m('2_x', 'ALTER TABLE t ADD COLUMN x text')];

  it('given applied migrations, when rolled back step by step, then each down runs and its bookkeeping row goes', SLOW, async () => {
    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    try {
      await applyMigrations(db, migrations);
      const downs = new Map<string, DownScript>([
        ['1_t', { sql: 'DROP TABLE t', dataLoss: 'drops t' }],
        ['2_x', { sql: 'ALTER TABLE t DROP COLUMN x', dataLoss: 'drops t.x' }],
      ]);
      const heard: string[] = [];
      expect(await applyRollback(db, planRollback(await appliedMigrations(db), downs, { force: true }), (s) => heard.push(s.name))).toEqual(['2_x']);
      expect(heard).toEqual(['2_x']);
      expect(await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 't'`)).toEqual([{ column_name: 'id' }]);
      expect((await appliedMigrations(db)).map((a) => a.name)).toEqual(['1_t']);
      // Undone migrations are pending again, so deploy re-applies them.
      expect(await applyMigrations(db, migrations)).toEqual(['2_x']);
    } finally {
      await db.close();
    }
  });

  it('given a down.sql that fails halfway, then nothing of that step stays and it is still recorded as applied', SLOW, async () => {
    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    try {
      await applyMigrations(db, migrations);
      const broken = new Map([['2_x', safe('ALTER TABLE t DROP COLUMN x; DROP TABLE no_such_table')]]);
      const error = await applyRollback(db, planRollback(await appliedMigrations(db), broken)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RollbackError);
      expect((error as RollbackError).code).toBe('ROLLBACK_FAILED');
      expect((error as Error).message).toMatch(/2_x.*stays applied/);
      expect(await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 't'`)).toEqual([{ n: 2 }]);
      expect((await appliedMigrations(db)).map((a) => a.name)).toEqual(['1_t', '2_x']);
    } finally {
      await db.close();
    }
  });

  it('given a database never migrated, then nothing is applied', SLOW, async () => {
    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    try {
      expect(await appliedMigrations(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
