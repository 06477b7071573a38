import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config.ts';
import { keepOutOfGit } from './data-dir.ts';

/** One domain's database, whichever engine runs it. */
export interface Database {
  readonly kind: DatabaseConfig['kind'];
  /** What Prisma's client runs on. */
  readonly adapter: SqlMigrationAwareDriverAdapterFactory;
  /** Runs a script of several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` on one connection holding a lock, so concurrent starts migrate once. */
  exclusive<T>(work: (session: Pick<Database, 'exec' | 'query'>) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one plain SQL transaction on one connection: committed when it resolves, rolled
   * back when it throws. The event consumers' batches run here, without an ORM in between.
   */
  transaction<T>(work: (session: Pick<Database, 'exec' | 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.location) : openPostgres(config.location);
}

let template: Promise<Blob> | undefined;

/**
 * A freshly initialised cluster, made once per process. initdb is most of PGlite's start-up
 * (seconds); every new database after the first is loaded from this copy in a fraction of that.
 */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const initial = await PGlite.create();
    const dump = await initial.dumpDataDir('none');
    await initial.close();
    return dump;
  })();
  return template;
}

async function openPglite(location: string): Promise<Database> {
  const memory = location === 'memory://';
  if (!memory) {
    await mkdir(location, { recursive: true });
    await keepOutOfGit(dirname(location));
  }
  const fresh = memory || !existsSync(join(location, 'PG_VERSION'));
  const loadDataDir = fresh ? await pgliteTemplate() : undefined;
  const client = await PGlite.create(memory ? undefined : location, { loadDataDir });
  const query = async <T>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows;
  const exec = async (sql: string) => {
    await client.exec(sql);
  };
  return {
    kind: 'pglite',
    adapter: new PrismaPGlite(client),
    exec,
    query,
    // PGlite is a single connection: every call is already exclusive.
    exclusive: (work) => work({ exec, query }),
    // PGlite queues other callers' queries behind an open transaction.
    transaction: (work) =>
      client.transaction((tx) =>
        work({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await tx.query<T>(sql, params)).rows,
        }),
      ),
    close: () => client.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  await ensureDatabaseExists(url);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server ends (a restart, a terminated backend) makes the pool emit
  // 'error'; unheard, that would crash the process. The pool drops that connection and opens a new
  // one when next needed, and queries in flight fail through their own promises.
  pool.on('error', () => {});
  const query = async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[];
  return {
    kind: 'postgres',
    adapter: new PrismaPg(pool),
    exec: async (sql) => {
      await pool.query(sql);
    },
    query,
    exclusive: async (work) => {
      const client = await pool.connect();
      try {
        // The same key Prisma's own migrate uses, so `prisma migrate deploy` and we exclude each other.
        await client.query('SELECT pg_advisory_lock(72707369)');
        try {
          return await work({
            exec: async (sql) => void (await client.query(sql)),
            query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
          });
        } finally {
          await client.query('SELECT pg_advisory_unlock(72707369)');
        }
      } finally {
        client.release();
      }
    },
    transaction: async (work) => {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work({
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is not given back to the pool.
        await client.query('ROLLBACK').catch(() => void (broken = true));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** Runs `work` connected to the server's maintenance database, with the target database's name. */
async function withServer<T>(url: string, work: (client: pg.Client, name: string) => Promise<T>): Promise<T> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Each domain owns a database; the first start on a new server creates it. */
export const ensureDatabaseExists = (url: string): Promise<void> =>
  withServer(url, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (error) {
      // Another process created it between our check and our CREATE: that is what we wanted.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });

/** Drops a domain database (tests and the reset script). */
export const dropDatabase = (url: string): Promise<void> =>
  withServer(url, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });

/**
 * Whether a PGlite folder is open in some process. PGlite writes postmaster.pid while it holds a
 * folder (with a made-up pid, so it cannot be probed) and removes it on a clean close; a second
 * process opening the folder would corrupt it, and PGlite does not stop it. A crash leaves the file.
 */
export function pgliteFolderInUse(location: string): boolean {
  return existsSync(join(location, 'postmaster.pid'));
}
