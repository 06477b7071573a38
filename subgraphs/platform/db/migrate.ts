import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { concurrentlyMisused, runsOutsideTransaction } from './concurrent-index.ts';
import type { Database } from './database.ts';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** Prisma's own bookkeeping table, so `prisma migrate deploy` and `migrate status` agree with us. */
const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Reads a Prisma migrations folder: `<timestamp>_<name>/migration.sql`, in name order. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

async function appliedNames(db: Pick<Database, 'query'>): Promise<Map<string, string>> {
  const rows = await db.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Map(rows.map((r) => [r.migration_name, r.checksum]));
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies what is pending, each migration and its record in one transaction. Returns the names
 * applied. `onApply` hears each name before it runs (operator scripts print progress with it).
 */
export async function applyMigrations(db: Database, migrations: Migration[], onApply: (name: string) => void = () => {}): Promise<string[]> {
  return db.exclusive(async (session) => {
    await session.exec(BOOKKEEPING);
    const applied = await appliedNames(session);
    const done: string[] = [];
    for (const m of migrations) {
      const checksum = applied.get(m.name);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new MigrationError(`Migration ${m.name} was edited after it was applied (checksum differs).`);
        }
        continue;
      }
      onApply(m.name);
      if (concurrentlyMisused(m.sql)) {
        throw new MigrationError(`Migration ${m.name} mixes CREATE/DROP INDEX CONCURRENTLY with other statements; give it a migration of its own.`);
      }
      if (runsOutsideTransaction(m.sql)) {
        // Builds the index without blocking writes; it cannot run in a transaction. If it is
        // interrupted, PostgreSQL leaves an INVALID index behind that must be dropped before a retry.
        try {
          await session.exec(m.sql);
        } catch (error) {
          throw new MigrationError(`Migration ${m.name} failed (drop any INVALID index it left before retrying): ${(error as Error).message}`);
        }
        await session.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        done.push(m.name);
        continue;
      }
      await session.exec('BEGIN');
      try {
        await session.exec(m.sql);
        await session.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await session.exec('COMMIT');
      } catch (error) {
        await session.exec('ROLLBACK');
        throw new MigrationError(`Migration ${m.name} failed: ${(error as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  });
}

/** Names of migrations not yet applied (readiness reports not ready while any remain). */
export async function pendingMigrations(db: Pick<Database, 'query'>, migrations: Migration[]): Promise<string[]> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists[0]?.t) return migrations.map((m) => m.name);
  const applied = await appliedNames(db);
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
