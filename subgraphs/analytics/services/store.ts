import type { Database } from '../../platform/db/database.ts';
import { prismaSql, type SqlExecutor } from '../../platform/events/sql.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Where the read models live, for code that runs both in the subgraph and in a script. */
export interface ReadModelStore extends SqlExecutor {
  transaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
}

/**
 * Through Prisma: safe beside the running subgraph's own queries (on PGlite, Prisma serialises
 * its transactions with everything else on the one connection).
 */
export const prismaStore = (db: PrismaClient): ReadModelStore => ({
  ...prismaSql(db),
  transaction: (work) => db.$transaction((tx) => work(prismaSql(tx)), { timeout: 600_000, maxWait: 60_000 }),
});

/**
 * Through the platform Database: about three times cheaper per statement on PGlite, for a process
 * that owns the database (the rebuild script). Its transactions are the ones the live consumer's
 * batches use (`Database.transaction`), so concurrent replay handlers behave as the live ones do.
 */
export const databaseStore = (database: Database): ReadModelStore => ({
  query: (sql, params) => database.query(sql, params),
  transaction: (work) => database.transaction(work),
});
