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
