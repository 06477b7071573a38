/**
 * Down-migrations: `prisma/<domain>/migrations/<name>/down.sql` beside each migration.sql undoes it.
 * A down.sql whose first line is `-- data-loss: <why>` throws data away (dropped tables, columns,
 * enum values) and runs only when the operator says --force.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runsOutsideTransaction } from './concurrent-index.ts';
import type { Database } from './database.ts';
import type { Migration } from './migrate.ts';

export const DATA_LOSS_MARKER = '-- data-loss:';

export interface DownScript {
  sql: string;
  /** Why undoing loses data, from the marker line; undefined when it loses none. */
  dataLoss: string | undefined;
}

/** Stable codes an operator's script can test for. */
export type RollbackErrorCode = 'DOWN_SCRIPT_MISSING' | 'DATA_LOSS_REFUSED' | 'UNKNOWN_TARGET' | 'ROLLBACK_FAILED';

export class RollbackError extends Error {
  override name = 'RollbackError';
  constructor(
    readonly code: RollbackErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the marker: only the first line counts, so a comment further down cannot arm or disarm it. */
export function parseDownScript(sql: string): DownScript {
  const first = sql.split('\n', 1)[0]!.trim();
  if (!first.toLowerCase().startsWith(DATA_LOSS_MARKER)) return { sql, dataLoss: undefined };
  const why = first.slice(DATA_LOSS_MARKER.length).trim();
  return { sql, dataLoss: why || 'data-losing (no reason given)' };
}

/** The down.sql of each named migration in `dir`, or undefined for those without one. */
export async function readDownScripts(dir: string, names: readonly string[]): Promise<Map<string, DownScript | undefined>> {
  const entries = await Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'down.sql'), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      return [name, sql === undefined ? undefined : parseDownScript(sql)] as const;
    }),
  );
  return new Map(entries);
}

export interface AppliedMigration {
  name: string;
  appliedAt: Date;
}

/** What the bookkeeping table says is applied, oldest first; empty on a database never migrated. */
export async function appliedMigrations(db: Pick<Database, 'query'>): Promise<AppliedMigration[]> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists[0]?.t) return [];
  const rows = await db.query<{ migration_name: string; finished_at: Date | string }>(
    `SELECT migration_name, finished_at FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((r) => ({ name: r.migration_name, appliedAt: new Date(r.finished_at) }));
}

export interface StatusRow {
  name: string;
  appliedAt: Date | undefined;
  /** False for a migration the database has but this checkout lacks. */
  inCheckout: boolean;
  down: DownScript | undefined;
}

/** One row per migration in the checkout or in the database, in name (= apply) order. */
export function migrationStatus(
  migrations: readonly Pick<Migration, 'name'>[],
  applied: readonly AppliedMigration[],
  downs: ReadonlyMap<string, DownScript | undefined>,
): StatusRow[] {
  const at = new Map(applied.map((a) => [a.name, a.appliedAt]));
  const names = [...new Set([...migrations.map((m) => m.name), ...applied.map((a) => a.name)])].sort();
  const known = new Set(migrations.map((m) => m.name));
  return names.map((name) => ({ name, appliedAt: at.get(name), inCheckout: known.has(name), down: downs.get(name) }));
}

/** `--to none`: undo every applied migration. */
export const TO_NOTHING = 'none';

export interface RollbackStep {
  name: string;
  down: DownScript;
}

/**
 * The steps a rollback takes, newest first: the newest applied migration alone, or every one
 * after `to` (which stays applied; TO_NOTHING undoes all). Refuses the whole plan before anything
 * runs when a step lacks its down.sql, or loses data without `force`.
 */
export function planRollback(
  applied: readonly AppliedMigration[],
  downs: ReadonlyMap<string, DownScript | undefined>,
  options: { to?: string; force?: boolean } = {},
): RollbackStep[] {
  const names = applied.map((a) => a.name).sort();
  let undo: string[];
  if (options.to === undefined) undo = names.slice(-1);
  else if (options.to === TO_NOTHING) undo = names;
  else {
    const at = names.indexOf(options.to);
    if (at < 0) {
      throw new RollbackError(
        'UNKNOWN_TARGET',
        `--to ${options.to} is not an applied migration (applied: ${names.join(', ') || 'none'}; use --to ${TO_NOTHING} to undo all)`,
      );
    }
    undo = names.slice(at + 1);
  }
  undo.reverse();
  const missing = undo.filter((name) => !downs.get(name));
  if (missing.length) {
    throw new RollbackError('DOWN_SCRIPT_MISSING', `no down.sql for ${missing.join(', ')}: cannot roll back past it (write one beside its migration.sql)`);
  }
  const steps = undo.map((name) => ({ name, down: downs.get(name)! }));
  const losing = steps.filter((s) => s.down.dataLoss);
  if (losing.length && !options.force) {
    throw new RollbackError(
      'DATA_LOSS_REFUSED',
      `refusing to lose data without --force: ${losing.map((s) => `${s.name} (${s.down.dataLoss})`).join('; ')}`,
    );
  }
  return steps;
}

/**
 * Runs the steps in order, each down.sql and the removal of its bookkeeping row in one
 * transaction, so a failing step leaves that migration applied and recorded. Returns the names undone.
 */
export async function applyRollback(
  db: Database,
  steps: readonly RollbackStep[],
  onStep: (step: RollbackStep, index: number) => void = () => {},
): Promise<string[]> {
  return db.exclusive(async (session) => {
    const done: string[] = [];
    for (const [i, step] of steps.entries()) {
      onStep(step, i);
      if (runsOutsideTransaction(step.down.sql)) {
        // DROP INDEX CONCURRENTLY cannot run in a transaction: the index goes, then the record.
        try {
          await session.exec(step.down.sql);
        } catch (error) {
          throw new RollbackError('ROLLBACK_FAILED', `rolling back ${step.name} failed, it stays applied: ${(error as Error).message}`);
        }
        await session.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [step.name]);
        done.push(step.name);
        continue;
      }
      await session.exec('BEGIN');
      try {
        await session.exec(step.down.sql);
        await session.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [step.name]);
        await session.exec('COMMIT');
      } catch (error) {
        await session.exec('ROLLBACK');
        throw new RollbackError('ROLLBACK_FAILED', `rolling back ${step.name} failed, it stays applied: ${(error as Error).message}`);
      }
      done.push(step.name);
    }
    return done;
  });
}
