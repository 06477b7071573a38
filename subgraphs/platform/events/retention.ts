import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';

/** Rows one DELETE removes: short transactions, so a large backlog never holds locks or bloats WAL at once. */
export const RETENTION_BATCH = 5_000;

export interface RetentionSettings {
  /** Published outbox rows older than this (by when they were sent) go. */
  outboxRetentionMs: number;
  /** Inbox rows older than this (by when they were received) go: the dedup window. */
  inboxRetentionMs: number;
}

export interface RetentionResult {
  outbox: number;
  inbox: number;
}

/**
 * Deletes, batch by batch until none is left, what `where` selects (a subquery of the keys to
 * delete, bounded by LIMIT $2). Returns the rows deleted.
 */
async function deleteInBatches(database: Pick<Database, 'query'>, sql: string, cutoff: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await database.query<{ n: number | string }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`, [cutoff, batch]);
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < batch) return total;
  }
}

/**
 * One retention pass over a domain's event tables: published outbox rows sent before the outbox
 * cutoff, and inbox rows received before the inbox cutoff. Unpublished outbox rows stay however
 * old (the relay still owes them to the transport).
 */
export async function pruneEventTables(
  database: Pick<Database, 'query'>,
  settings: RetentionSettings,
  now: Date = new Date(),
  batch: number = RETENTION_BATCH,
): Promise<RetentionResult> {
  const outbox = await deleteInBatches(
    database,
    // The (sent_at, id) index serves both the filter and the order: oldest first, never a full scan.
    `DELETE FROM "OutboxEvent" WHERE "id" IN (SELECT "id" FROM "OutboxEvent" WHERE "sent_at" < $1 ORDER BY "sent_at" LIMIT $2)`,
    new Date(now.getTime() - settings.outboxRetentionMs),
    batch,
  );
  const inbox = await deleteInBatches(
    database,
    `DELETE FROM "InboxEvent" WHERE ("consumer", "event_id") IN (SELECT "consumer", "event_id" FROM "InboxEvent" WHERE "received_at" < $1 LIMIT $2)`,
    new Date(now.getTime() - settings.inboxRetentionMs),
    batch,
  );
  return { outbox, inbox };
}

export interface RetentionJob {
  /** One pass now (also what the timer runs). */
  run(now?: Date): Promise<RetentionResult>;
  close(): void;
}

/** How often each subgraph prunes its event tables. */
export const RETENTION_EVERY_MS = 60 * 60 * 1000;

/**
 * Keeps a subgraph's outbox and inbox bounded under continuous load: a pass every `everyMs`
 * (hourly). A failed pass is logged and retried at the next tick; it never stops the subgraph.
 */
export function startEventRetention(options: { database: Pick<Database, 'query'>; settings: RetentionSettings; logger: Logger; everyMs?: number }): RetentionJob {
  const { database, settings, logger } = options;
  const run = (now = new Date()) => pruneEventTables(database, settings, now);
  const tick = async () => {
    try {
      const pruned = await run();
      if (pruned.outbox || pruned.inbox) logger.info('event tables pruned past retention', { ...pruned });
    } catch (error) {
      logger.warn('event retention failed; will retry', { error: (error as Error).message });
    }
  };
  const timer = setInterval(() => void tick(), options.everyMs ?? RETENTION_EVERY_MS);
  timer.unref();
  return { run, close: () => clearInterval(timer) };
}
