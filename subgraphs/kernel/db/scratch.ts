import { randomBytes } from 'node:crypto';
import type { DatabaseConfig } from '../../platform/config.ts';
import type { PrismaLike, SubgraphDefinition } from '../subgraph.ts';
import { dropDatabase, openDatabase, type Database } from '../../platform/db/database.ts';
import { applyMigrations, readMigrations } from '../../platform/db/migrate.ts';

export interface ScratchDatabase<Db> {
  database: Database;
  db: Db;
  /** Disconnects, and drops the database when it was made on a server. */
  close(): Promise<void>;
}

/**
 * One domain's database on its own, as the subgraph runs it (migrations applied, its Prisma client
 * on top), for tests and benchmarks: PGlite in memory, or a fresh database named after the domain
 * on the PostgreSQL server of `postgresServerUrl`, dropped on close.
 */
export async function openScratchDatabase<Db extends PrismaLike>(
  def: Pick<SubgraphDefinition<Db, unknown>, 'name' | 'migrationsDir' | 'createClient'>,
  postgresServerUrl?: string,
): Promise<ScratchDatabase<Db>> {
  let config: DatabaseConfig = { kind: 'pglite', location: 'memory://' };
  if (postgresServerUrl) {
    const url = new URL(postgresServerUrl);
    url.pathname = `/vt_${def.name}_${randomBytes(4).toString('hex')}`;
    config = { kind: 'postgres', location: url.toString() };
  }
  const database = await openDatabase(config);
  try {
    await applyMigrations(database, await readMigrations(def.migrationsDir));
  } catch (error) {
    await database.close();
    throw error;
  }
  const db = def.createClient(database.adapter);
  return {
    database,
    db,
    close: async () => {
      await db.$disconnect();
      await database.close();
      if (config.kind === 'postgres') await dropDatabase(config.location);
    },
  };
}
