/**
 * Migrations per domain database, for operators:
 *   npm run db -- status|deploy|rollback <domain|all> [--to <migration>|none] [--force]
 * status   a table per domain: each migration, when it was applied, whether it has a down.sql and
 *          whether undoing it loses data
 * deploy   applies what is pending, printing each step
 * rollback undoes the newest applied migration, or every one after --to (which stays applied;
 *          --to none undoes all), each step with its down.sql in one transaction. Refuses, before
 *          changing anything, a step without down.sql or one marked data-loss unless --force.
 * The databases are those the services use (DATA_DIR for PGlite, POSTGRES_URL + DATABASE_PREFIX).
 * Exit codes: 0 done, 1 failed, 2 bad arguments or refused (the message starts with a stable code).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ConfigError, databaseFor, loadConfig, type DatabaseConfig, type Domain, type Env } from '../subgraphs/platform/config.ts';
import { openDatabase, pgliteFolderInUse, type Database } from '../subgraphs/platform/db/database.ts';
import { applyMigrations, MigrationError, readMigrations } from '../subgraphs/platform/db/migrate.ts';
import {
  appliedMigrations,
  applyRollback,
  migrationStatus,
  planRollback,
  readDownScripts,
  RollbackError,
  TO_NOTHING,
  type AppliedMigration,
  type RollbackStep,
} from '../subgraphs/platform/db/rollback.ts';
import { paint, processIo, runWhenEntry, table, type Io } from './lib/cli.ts';
import { builtDomains, migrationsDir } from './lib/domains.ts';

export const USAGE = `usage: db status|deploy|rollback <domain|all> [--to <migration>|none] [--force]

  status    each migration of the domain(s): applied at, has a down.sql, loses data when undone
  deploy    apply the pending migrations
  rollback  undo the newest applied migration (each step and its bookkeeping row in one transaction)

  --to      with rollback: undo every migration after this one, which stays applied
            (--to none: undo them all; with "all" only none is accepted)
  --force   with rollback: also run down.sql files marked "-- data-loss: <why>"

PGlite databases can only be opened by one process: stop the services first.`;

export interface Options {
  command: 'status' | 'deploy' | 'rollback';
  domains: Domain[];
  to: string | undefined;
  force: boolean;
}

/** Refusals and bad input: exit code 2, the code first in the message. */
export class DbCommandError extends Error {
  override name = 'DbCommandError';
  constructor(
    readonly code: 'USAGE' | 'DATABASE_IN_USE' | 'NO_DATABASE',
    message: string,
  ) {
    super(message);
  }
}

const usage = (message: string) => new DbCommandError('USAGE', message);

const COMMANDS = ['status', 'deploy', 'rollback'] as const;

export function parseArgs(argv: readonly string[], domains: readonly Domain[] = builtDomains()): Options | 'help' {
  const positional: string[] = [];
  let to: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--force') force = true;
    else if (a === '--to' || a.startsWith('--to=')) {
      const v = a === '--to' ? argv[++i] : a.slice('--to='.length);
      if (v === undefined || v.startsWith('--') || !v.trim()) throw usage('--to needs a migration name (or none)');
      if (to !== undefined) throw usage('--to given twice');
      to = v.trim();
    } else if (a.startsWith('-')) throw usage(`unknown option ${a}`);
    else positional.push(a);
  }
  const [command, target, ...rest] = positional;
  if (!command) throw usage('say status, deploy or rollback');
  if (!COMMANDS.includes(command as never)) throw usage(`unknown command ${command} (status, deploy or rollback)`);
  if (!target) throw usage(`say which domain (${domains.join(', ')}) or all`);
  if (rest.length) throw usage(`unexpected argument ${rest[0]}`);
  if (target !== 'all' && !domains.includes(target as Domain)) throw usage(`unknown domain ${target} (${domains.join(', ')} or all)`);
  if (command !== 'rollback' && to !== undefined) throw usage('--to only goes with rollback');
  if (command !== 'rollback' && force) throw usage('--force only goes with rollback');
  // Migration names are per domain; one name cannot mean the same point in all of them.
  if (target === 'all' && to !== undefined && to !== TO_NOTHING) throw usage(`with all, --to takes only ${TO_NOTHING}`);
  return { command: command as Options['command'], domains: target === 'all' ? [...domains] : [target as Domain], to, force };
}

/** Where a database is, fit to print: a PostgreSQL URL without its password. */
function describe(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `PGlite ${config.location}`;
  const url = new URL(config.location);
  if (url.password) url.password = '***';
  return `PostgreSQL ${url.toString()}`;
}

/**
 * Opens a domain database for the command, or undefined when it does not exist yet (only deploy
 * creates one). A PGlite folder a service holds open is refused: two processes on one folder
 * corrupt it, and PGlite itself does not stop the second.
 */
async function openExisting(config: DatabaseConfig, create: boolean): Promise<Database | undefined> {
  if (config.kind === 'pglite') {
    if (config.location === 'memory://') {
      throw new DbCommandError('NO_DATABASE', 'DATA_DIR=memory:// keeps nothing between processes: there is no database to migrate');
    }
    if (pgliteFolderInUse(config.location)) {
      throw new DbCommandError(
        'DATABASE_IN_USE',
        `${config.location} is open in another process (a running service?): PGlite allows one process per folder. ` +
          `Stop the services (npm start / npm run stack) and retry. If none runs, a crashed one left ${join(config.location, 'postmaster.pid')} behind: delete it.`,
      );
    }
    if (!create && !existsSync(join(config.location, 'PG_VERSION'))) return undefined;
    return openDatabase(config);
  }
  if (!create) {
    const probe = new pg.Client({ connectionString: config.location, connectionTimeoutMillis: 5_000 });
    try {
      await probe.connect();
    } catch (error) {
      if ((error as { code?: string }).code === '3D000') return undefined;
      throw error;
    } finally {
      await probe.end().catch(() => {});
    }
  }
  return openDatabase(config);
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const when = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export interface Deps {
  env?: Env;
  io?: Io;
  /** Where a domain's migrations are (tests point it at their own). */
  migrationsDir?: (domain: Domain) => string;
  /** Domains the arguments may name. */
  domains?: readonly Domain[];
}

export async function main(argv: readonly string[], deps: Deps = {}): Promise<number> {
  const { env = process.env, io = processIo(), migrationsDir: dirOf = migrationsDir, domains = builtDomains() } = deps;
  const { colour } = io;
  const fail = (code: string, message: string, exit: number) => {
    io.err(`db: ${code}: ${message}`);
    return exit;
  };
  let options: Options;
  try {
    const parsed = parseArgs(argv, domains);
    if (parsed === 'help') {
      io.out(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof DbCommandError)) throw error;
    return fail(error.code, `${error.message}\n${USAGE}`, 2);
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail('CONFIG', error.message, 2);
  }

  // Rollback plans every domain before touching any, so a refusal changes nothing anywhere.
  const open: Array<{ domain: Domain; db: Database | undefined; where: string }> = [];
  try {
    for (const domain of options.domains) {
      const target = databaseFor(config, domain);
      open.push({ domain, db: await openExisting(target, options.command === 'deploy'), where: describe(target) });
    }
    if (options.command === 'status') return await status(open, dirOf, io, colour);
    if (options.command === 'deploy') return await deploy(open, dirOf, io);
    return await rollback(open, dirOf, io, options);
  } catch (error) {
    if (error instanceof DbCommandError) return fail(error.code, error.message, 2);
    if (error instanceof RollbackError) return fail(error.code, error.message, error.code === 'ROLLBACK_FAILED' ? 1 : 2);
    if (error instanceof MigrationError) return fail('MIGRATION_FAILED', error.message, 1);
    return fail('FAILED', (error as Error).message, 1);
  } finally {
    for (const { db } of open) await db?.close().catch(() => {});
  }
}

type Opened = Array<{ domain: Domain; db: Database | undefined; where: string }>;

async function status(open: Opened, dirOf: (d: Domain) => string, io: Io, colour: boolean): Promise<number> {
  for (const { domain, db, where } of open) {
    const migrations = await readMigrations(dirOf(domain));
    const applied = db ? await appliedMigrations(db) : [];
    const rows = migrationStatus(migrations, applied, await readDownScripts(dirOf(domain), [...migrations.map((m) => m.name), ...applied.map((a) => a.name)]));
    const pending = rows.filter((r) => !r.appliedAt).length;
    io.out(`${domain} — ${where}${db ? '' : ' (not created yet)'}: ${rows.length - pending} applied, ${pending} pending`);
    const lines = table(
      ['migration', 'applied at', 'down.sql', 'data loss on rollback'],
      rows.map((r) => [
        r.inCheckout ? r.name : `${r.name} ${paint('(not in this checkout)', 'warn', colour)}`,
        r.appliedAt ? when(r.appliedAt) : paint('pending', 'warn', colour),
        r.down ? 'yes' : paint('missing', 'fail', colour),
        r.down?.dataLoss ? paint(`yes: ${clip(r.down.dataLoss, 90)}`, 'warn', colour) : r.down ? 'no' : '-',
      ]),
    );
    for (const line of lines) io.out(line);
    io.out('');
  }
  return 0;
}

async function deploy(open: Opened, dirOf: (d: Domain) => string, io: Io): Promise<number> {
  let total = 0;
  for (const { domain, db, where } of open) {
    const migrations = await readMigrations(dirOf(domain));
    io.err(`db: ${domain}: deploying to ${where}…`);
    const started = Date.now();
    const done = await applyMigrations(db!, migrations, (name) => io.err(`db: ${domain}: applying ${name}…`));
    total += done.length;
    io.err(`db: ${domain}: ${done.length ? `applied ${done.length} in ${Date.now() - started} ms` : 'up to date'}`);
  }
  io.err(`db: applied ${total} migration(s) in all`);
  return 0;
}

async function rollback(open: Opened, dirOf: (d: Domain) => string, io: Io, options: Options): Promise<number> {
  const plans: Array<{ domain: Domain; db: Database; steps: RollbackStep[] }> = [];
  for (const { domain, db } of open) {
    const applied: AppliedMigration[] = db ? await appliedMigrations(db) : [];
    if (!applied.length) {
      if (options.to !== undefined && options.to !== TO_NOTHING) {
        throw new RollbackError('UNKNOWN_TARGET', `${domain}: --to ${options.to} is not an applied migration (none is applied)`);
      }
      io.err(`db: ${domain}: nothing applied, nothing to roll back`);
      continue;
    }
    const downs = await readDownScripts(dirOf(domain), applied.map((a) => a.name));
    try {
      plans.push({ domain, db: db!, steps: planRollback(applied, downs, options) });
    } catch (error) {
      if (error instanceof RollbackError) throw new RollbackError(error.code, `${domain}: ${error.message}`);
      throw error;
    }
  }
  let total = 0;
  for (const { domain, db, steps } of plans) {
    if (!steps.length) {
      io.err(`db: ${domain}: nothing after ${options.to}, nothing to roll back`);
      continue;
    }
    const done = await applyRollback(db, steps, (step, i) =>
      io.err(`db: ${domain}: [${i + 1}/${steps.length}] rolling back ${step.name}${step.down.dataLoss ? ` (data loss forced: ${step.down.dataLoss})` : ''}…`),
    );
    total += done.length;
    io.err(`db: ${domain}: rolled back ${done.join(', ')}`);
  }
  io.err(`db: rolled back ${total} migration(s) in all`);
  return 0;
}

runWhenEntry(import.meta.url, 'db', main);
