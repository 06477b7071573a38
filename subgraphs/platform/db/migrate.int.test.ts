import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { applyMigrations, pendingMigrations, type Migration } from './migrate.ts';

const m = (name: string, sql: string): Migration => ({ name, sql, checksum: `sum-${sql.length}-${name}` });

describe('migrations on an embedded database', () => {
  it('given pending migrations, when applied, then each runs once and is recorded as Prisma records it', async () => {
    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    try {
      const all = [m('1_init', 'CREATE TABLE t (id int)'), m('2_more', 'ALTER TABLE t ADD COLUMN x text')];
      expect(await pendingMigrations(db, all)).toEqual(['1_init', '2_more']);
      expect(await applyMigrations(db, all)).toEqual(['1_init', '2_more']);
      expect(await applyMigrations(db, all)).toEqual([]);
      expect(await pendingMigrations(db, all)).toEqual([]);
      const rows = await db.query<{ migration_name: string; finished_at: Date | null }>('SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(['1_init', '2_more']);
      expect(rows.every((r) => r.finished_at)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('given a migration that fails, then nothing of it stays and it is still pending', async () => {
    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    try {
      const broken = [m('1_half', 'CREATE TABLE a (id int); CREATE TABLE a (id int)')];
      await expect(applyMigrations(db, broken)).rejects.toThrow(/1_half failed/);
      expect(await db.query(`SELECT to_regclass('a') AS t`)).toEqual([{ t: null }]);
      expect(await pendingMigrations(db, broken)).toEqual(['1_half']);
    } finally {
      await db.close();
    }
  });

  it('given a migration edited after it was applied, then start-up refuses', async () => {
    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    try {
      await applyMigrations(db, [m('1_init', 'CREATE TABLE t (id int)')]);
      await expect(applyMigrations(db, [{ ...m('1_init', 'CREATE TABLE t (id int)'), checksum: 'other' }])).rejects.toThrow(/edited/);
    } finally {
      await db.close();
    }
  });
});
