import type pg from 'pg';

/** Rows per INSERT: one JSON parameter each, small enough to keep a statement's memory modest. */
const BATCH = 5_000;

/**
 * Inserts rows in batches: each batch is ONE statement whose single parameter is the rows as JSON,
 * expanded by json_populate_recordset into the table's own row type, so PostgreSQL casts every
 * column (enums, arrays, jsonb, timestamps) itself. The columns are those of the first row.
 * Returns the number of rows written.
 */
export async function insertRows(client: pg.ClientBase, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]!).map((c) => `"${c}"`).join(', ');
  for (let at = 0; at < rows.length; at += BATCH) {
    await client.query(`INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [
      JSON.stringify(rows.slice(at, at + BATCH)),
    ]);
  }
  return rows.length;
}

/** The table a seeded database records its finished days in (-1: the tenants' setup). */
export const PROGRESS_TABLE = '_seed_scale';

export async function ensureProgressTable(client: pg.ClientBase): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS "${PROGRESS_TABLE}" (day int PRIMARY KEY, options jsonb NOT NULL, rows int NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
}

/** The days this database already holds. */
export async function doneDays(client: pg.ClientBase): Promise<Set<number>> {
  const { rows } = await client.query<{ day: number }>(`SELECT day FROM "${PROGRESS_TABLE}"`);
  return new Set(rows.map((r) => r.day));
}

/** The options the first run recorded (day -1), if any. */
export async function recordedOptions(client: pg.ClientBase): Promise<unknown> {
  const { rows } = await client.query<{ options: unknown }>(`SELECT options FROM "${PROGRESS_TABLE}" WHERE day = -1`);
  return rows[0]?.options;
}

/**
 * Runs `write` in one transaction with the day's progress row, so a day is stored in a domain
 * entirely or not at all; a day some earlier run finished is skipped. Returns rows written.
 */
export async function writeDay(client: pg.ClientBase, day: number, options: unknown, write: () => Promise<number>): Promise<number> {
  await client.query('BEGIN');
  try {
    const claimed = await client.query(`INSERT INTO "${PROGRESS_TABLE}" (day, options, rows) VALUES ($1, $2, 0) ON CONFLICT (day) DO NOTHING RETURNING day`, [day, JSON.stringify(options)]);
    if (claimed.rowCount === 0) {
      await client.query('ROLLBACK');
      return 0;
    }
    const rows = await write();
    await client.query(`UPDATE "${PROGRESS_TABLE}" SET rows = $2 WHERE day = $1`, [day, rows]);
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
