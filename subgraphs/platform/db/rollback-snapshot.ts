import type { Database } from './database.ts';

/**
 * A database's schema as comparable text: tables with their columns in order (not their attnum,
 * which a dropped and re-added column moves), constraints, indexes, enums with their labels in
 * order, and sequences. The bookkeeping table is left out: it records history, not schema.
 * Two databases with equal snapshots answer the services' queries alike.
 */
export async function schemaSnapshot(db: Pick<Database, 'query'>): Promise<string> {
  const sections: Array<[string, string]> = [
    [
      'columns',
      `SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
              || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
              || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relname <> '_prisma_migrations'
        ORDER BY c.relname, a.attnum`,
    ],
    [
      'constraints',
      `SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations'
        ORDER BY 1`,
    ],
    [
      'indexes',
      `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    ],
    [
      'enums',
      `SELECT t.typname || ' (' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')' AS line
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public'
        GROUP BY t.typname ORDER BY t.typname`,
    ],
    [
      'sequences',
      `SELECT sequencename || ' ' || data_type::text || ' ' || increment_by AS line FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`,
    ],
  ];
  const out: string[] = [];
  for (const [title, sql] of sections) {
    out.push(`# ${title}`, ...(await db.query<{ line: string }>(sql)).map((r) => r.line));
  }
  return out.join('\n');
}
