import type { Database } from '../db/database.ts';
import type { EventEnvelope } from './envelope.ts';
import type { SqlExecutor } from './sql.ts';

/** The inbox table, as Prisma's migration of the model in docs/events.md creates it. */
export const INBOX_DDL = `CREATE TABLE IF NOT EXISTS "InboxEvent" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("consumer","event_id")
);
`;

export const INBOX_PRISMA_MODEL = `model InboxEvent {
  consumer   String
  eventId    String   @map("event_id")
  receivedAt DateTime @default(now()) @map("received_at") @db.Timestamptz(6)

  @@id([consumer, eventId])
}`;

/**
 * Records that `consumer` handles `eventId`, inside the caller's transaction. True: first time,
 * go ahead with the effect. False: already handled (a redelivery), skip it. Claiming before the
 * effect also makes a concurrent duplicate wait on the row lock and then see `false`; if the
 * effect fails, the rollback removes the claim with it.
 */
export async function claimEvent(tx: SqlExecutor, consumer: string, eventId: string): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO "InboxEvent" ("consumer", "event_id") VALUES ($1, $2)
     ON CONFLICT ("consumer", "event_id") DO NOTHING RETURNING "event_id"`,
    [consumer, eventId],
  );
  return rows.length > 0;
}

/**
 * claimEvent for many events in one statement: returns the ids claimed now (first time), the
 * others were handled before. Ids are sorted, so two transactions claiming overlapping sets take
 * the row locks in the same order and cannot deadlock.
 */
export async function claimEvents(tx: SqlExecutor, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(eventIds)].sort();
  if (!ids.length) return new Set();
  const values = ids.map((_, i) => `($1, $${i + 2})`).join(', ');
  const rows = await tx.query<{ event_id: string }>(
    `INSERT INTO "InboxEvent" ("consumer", "event_id") VALUES ${values}
     ON CONFLICT ("consumer", "event_id") DO NOTHING RETURNING "event_id"`,
    [consumer, ...ids],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** Read-only check (for diagnostics; handlers should use claimEvent/handleOnce, which also lock). */
export async function alreadyHandled(tx: SqlExecutor, consumer: string, eventId: string): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 FROM "InboxEvent" WHERE "consumer" = $1 AND "event_id" = $2`, [
    consumer,
    eventId,
  ]);
  return rows.length > 0;
}

export type HandleOnceResult<T> = { handled: true; result: T } | { handled: false };

/**
 * The idempotent consumer step, to call INSIDE the transaction that applies the effect:
 * `db.$transaction((tx) => handleOnce(prismaSql(tx), 'planning', envelope, () => effect(tx)))`.
 */
export async function handleOnce<T>(
  tx: SqlExecutor,
  consumer: string,
  event: Pick<EventEnvelope, 'id'>,
  effect: () => Promise<T>,
): Promise<HandleOnceResult<T>> {
  if (!(await claimEvent(tx, consumer, event.id))) return { handled: false };
  return { handled: true, result: await effect() };
}

/** Deletes inbox rows older than `olderThan`; keep them longer than any redelivery or replay can come. */
export async function pruneInbox(database: Pick<Database, 'query'>, olderThan: Date): Promise<number> {
  const rows = await database.query(`DELETE FROM "InboxEvent" WHERE "received_at" < $1 RETURNING "event_id"`, [
    olderThan,
  ]);
  return rows.length;
}
