/**
 * Migrations that build or drop an index on a live table without blocking its writes:
 * `CREATE [UNIQUE] INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` refuse to run inside a
 * transaction, so a migration (or down.sql) made of exactly one such statement runs on its own.
 * That is also what `prisma migrate deploy` needs: one statement per file, sent as is.
 */

/** The script without comments or surrounding whitespace. */
const code = (sql: string) => sql.replace(/\/\*[\s\S]*?\*\//g, '').replace(/--[^\n]*/g, '').trim();

/** True when `sql` is a single CREATE/DROP INDEX CONCURRENTLY statement (a trailing `;` allowed). */
export function runsOutsideTransaction(sql: string): boolean {
  const body = code(sql).replace(/;\s*$/, '');
  if (!body || body.includes(';')) return false;
  return /^(CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY)\s/i.test(body);
}

/** Refuses a script that mixes CONCURRENTLY with other statements: it could never run as one transaction. */
export function concurrentlyMisused(sql: string): boolean {
  return /\bCONCURRENTLY\b/i.test(code(sql)) && !runsOutsideTransaction(sql);
}
