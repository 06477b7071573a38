/** Test and benchmark support: an analytics database of its own, migrated, with its Prisma client. */
import { randomBytes } from 'node:crypto';
import { dropDatabase, openDatabase, type Database } from '../kernel/db/database.ts';
import { applyMigrations, readMigrations } from '../kernel/db/migrate.ts';
import type { DatabaseConfig } from '../kernel/config.ts';
import { PrismaClient } from './generated/prisma/client.ts';

export interface AnalyticsDb {
  database: Database;
  db: PrismaClient;
  close(): Promise<void>;
}

/** PGlite in memory, or a fresh database on the PostgreSQL server at `postgresUrl` (dropped on close). */
export async function openAnalyticsDb(postgresUrl?: string): Promise<AnalyticsDb> {
  let config: DatabaseConfig = { kind: 'pglite', location: 'memory://' };
  if (postgresUrl) {
    const url = new URL(postgresUrl);
    url.pathname = `/vt_analytics_${randomBytes(4).toString('hex')}`;
    config = { kind: 'postgres', location: url.toString() };
  }
  const database = await openDatabase(config);
  await applyMigrations(database, await readMigrations('prisma/analytics/migrations'));
  const db = new PrismaClient({ adapter: database.adapter });
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
