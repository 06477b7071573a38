import type { Database } from '../db/database.ts';

/** The least the event tables need: parameterised SQL ($1, $2, …) returning rows. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** What a Prisma 7 client or interactive-transaction `tx` offers for raw SQL. */
export interface PrismaRawClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

/**
 * A Prisma `tx` as a SqlExecutor, so the inbox (and raw outbox writes) join the caller's
 * interactive transaction. The SQL is still parameterised: values never enter the text.
 */
export function prismaSql(tx: PrismaRawClient): SqlExecutor {
  return {
    query: async <T>(sql: string, params: unknown[] = []) => (await tx.$queryRawUnsafe<T[]>(sql, ...params)) ?? [],
  };
}

/**
 * Runs `work` in one transaction on the kernel Database (raw SQL: tests, scripts). Domains use
 * Prisma's `$transaction` instead. It holds the Database's exclusive session: on PostgreSQL that
 * is the migration lock, so such transactions run one at a time; on PGlite (one connection) other
 * queries issued meanwhile on the same Database would join it, so keep them apart.
 */
export function withTransaction<T>(database: Database, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return database.exclusive(async (session) => {
    await session.exec('BEGIN');
    try {
      const result = await work(session);
      await session.exec('COMMIT');
      return result;
    } catch (error) {
      await session.exec('ROLLBACK');
      throw error;
    }
  });
}
