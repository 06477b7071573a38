import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from '../db/database.ts';
import { uuidv7 } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { wakeableSleep } from '../wakeable-sleep.ts';
import { validateEnvelope, type EventEnvelope } from './envelope.ts';
import type { SqlExecutor } from './sql.ts';
import { storableJson, storableText, type JsonValue } from './storable-json.ts';
import type { EventTransport } from './transport.ts';

/**
 * The outbox table, as Prisma's migration of the model in docs/events.md creates it. Each domain
 * owns its copy (its own migration); this constant is for raw setups and tests.
 */
export const OUTBOX_DDL = `CREATE TABLE IF NOT EXISTS "OutboxEvent" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(6),
    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "OutboxEvent_sent_at_id_idx" ON "OutboxEvent"("sent_at", "id");
`;

export const OUTBOX_PRISMA_MODEL = `model OutboxEvent {
  id        String    @id @db.Uuid
  topic     String
  key       String
  type      String
  envelope  Json
  createdAt DateTime  @default(now()) @map("created_at") @db.Timestamptz(6)
  sentAt    DateTime? @map("sent_at") @db.Timestamptz(6)

  @@index([sentAt, id])
}`;

/** One outbox row in the Prisma model's field names (writeOutbox stores them; the seeds batch them into Prisma's array transactions). */
export interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  type: string;
  envelope: { [key: string]: JsonValue };
}

let lastMs = 0;
let counter = 0;

/**
 * UUIDv7 that also grows within one millisecond (RFC 9562 method 1: a 12-bit counter in
 * rand_a), so two events written by one transaction keep their order in the relay's ORDER BY id.
 */
export function monotonicUuidv7(now: number = Date.now()): string {
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    counter++;
    if (counter > 0xfff) {
      ms++;
      counter = 0;
    }
  } else {
    // Start low so a burst within this millisecond has room to count up.
    counter = Math.floor(Math.random() * 0x400);
  }
  lastMs = ms;
  const id = uuidv7(ms);
  return `${id.slice(0, 14)}7${counter.toString(16).padStart(3, '0')}${id.slice(18)}`;
}

/**
 * The row to insert, in the caller's transaction, next to the state change it announces. Create it
 * after the write that locks the aggregate, so row ids follow commit order per aggregate.
 */
export function toOutboxRow(topic: string, envelope: EventEnvelope, key: string = envelope.subject): OutboxRow {
  // What a client typed (a lone surrogate, a NUL) must not make the row unstorable, nor the event undeliverable.
  const stored = storableJson(envelope) as { [key: string]: JsonValue };
  // Fail inside the caller's transaction: a row the relay cannot publish would hold up every row after it.
  validateEnvelope(stored);
  return { id: monotonicUuidv7(), topic, key: storableText(key), type: envelope.type, envelope: stored };
}

const outboxWrites = new AsyncLocalStorage<Set<string>>();

/**
 * Runs `work` and says whether it wrote outbox rows (through writeOutbox, the only writer), so a
 * consumer wakes its relay only after a batch that gave it something to send: an audit entry or
 * an analytics fact does not, and waking for nothing cost a query per batch.
 */
export async function noticingOutboxWrites<T>(work: () => Promise<T>): Promise<{ result: T; wroteOutbox: boolean }> {
  const topics = new Set<string>();
  const result = await outboxWrites.run(topics, work);
  return { result, wroteOutbox: topics.size > 0 };
}

/**
 * How every command and consumer stores its events: all the rows in one statement, inside the
 * caller's transaction (`writeOutbox(prismaSql(tx), …)` in a Prisma one), so they are stored together
 * or not at all even outside a transaction. Raw SQL: a Prisma create cost about three times the CPU.
 */
export async function writeOutbox(
  tx: SqlExecutor,
  topic: string,
  envelopes: readonly EventEnvelope[],
): Promise<OutboxRow[]> {
  const rows = envelopes.map((e) => toOutboxRow(topic, e));
  if (!rows.length) return rows;
  outboxWrites.getStore()?.add(topic);
  const values = rows.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5}::jsonb)`);
  await tx.query(
    `INSERT INTO "OutboxEvent" ("id", "topic", "key", "type", "envelope") VALUES ${values.join(', ')}`,
    rows.flatMap((row) => [row.id, row.topic, row.key, row.type, JSON.stringify(row.envelope)]),
  );
  return rows;
}

/** Unsent rows: the relay's backlog (a gauge). */
export async function outboxBacklog(database: Pick<Database, 'query'>): Promise<number> {
  const [row] = await database.query<{ n: number | string }>(
    `SELECT count(*)::int AS n FROM "OutboxEvent" WHERE "sent_at" IS NULL`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Seconds the oldest unsent row has waited (0 when none), by the database's clock, which also
 * stamped the rows: a backlog that only grows older means the relay is stuck, not just busy.
 */
export async function outboxOldestUnsentAge(database: Pick<Database, 'query'>): Promise<number> {
  const [row] = await database.query<{ age: number | string | null }>(
    `SELECT EXTRACT(EPOCH FROM (now() - min("created_at")))::float8 AS age FROM "OutboxEvent" WHERE "sent_at" IS NULL`,
  );
  return Math.max(0, Number(row?.age ?? 0));
}

/** Deletes rows sent before `olderThan` (run it now and then; the relay never reads them again). */
export async function pruneOutbox(database: Pick<Database, 'query'>, olderThan: Date): Promise<number> {
  const rows = await database.query(`DELETE FROM "OutboxEvent" WHERE "sent_at" < $1 RETURNING "id"`, [olderThan]);
  return rows.length;
}

export interface OutboxRelayOptions {
  database: Pick<Database, 'query'>;
  transport: EventTransport;
  /** Rows per round (one produce request per topic). Default 500. */
  batchSize?: number;
  /**
   * How often to look when nobody calls notify(): a backstop, since every commit that writes the
   * outbox wakes the relay (kernel consumers, units of work). Default 5 000 ms.
   */
  pollIntervalMs?: number;
  /** Wait after a failed round before trying again. Default 1 000 ms. */
  retryDelayMs?: number;
  logger?: Logger;
}

export interface OutboxRelay {
  /** Look now (call after a commit that wrote outbox rows): low latency without tight polling. */
  notify(): void;
  /** Publishes until nothing is left unsent (tests, graceful shutdown). */
  flush(): Promise<void>;
  backlog(): Promise<number>;
  /** Seconds the oldest unsent row has waited; 0 when nothing waits. */
  oldestUnsentAge(): Promise<number>;
  stats(): { published: number; rounds: number; failures: number };
  /** Stops after the round in hand; unsent rows wait for the next start. */
  close(): Promise<void>;
}

interface UnsentRow {
  id: string;
  topic: string;
  key: string;
  envelope: EventEnvelope | string;
}

/**
 * Publishes outbox rows in id order and marks them sent. A round publishes its rows topic by
 * topic in one call each (the transport keeps per-key order within a call and acknowledges all of
 * it) and marks them only afterwards, so a crash anywhere re-publishes rather than drops. Run one
 * relay per domain database; a second one is harmless but doubles the duplicates.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { database, transport, logger } = options;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const stats = { published: 0, rounds: 0, failures: 0 };
  let closed = false;
  // notify() during a round is remembered: the round may have read before that commit.
  const pause = wakeableSleep();
  let flushWaiters: Array<{ resolve(): void; reject(error: unknown): void }> = [];

  const round = async (): Promise<number> => {
    const rows = await database.query<UnsentRow>(
      `SELECT "id", "topic", "key", "envelope" FROM "OutboxEvent" WHERE "sent_at" IS NULL ORDER BY "id" LIMIT $1`,
      [batchSize],
    );
    if (!rows.length) return 0;
    const byTopic = new Map<string, UnsentRow[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push(row);
      byTopic.set(row.topic, list);
    }
    for (const [topic, list] of byTopic) {
      await transport.publish(
        topic,
        list.map((r) => ({
          key: r.key,
          envelope: (typeof r.envelope === 'string' ? JSON.parse(r.envelope) : r.envelope) as EventEnvelope,
        })),
      );
    }
    await database.query(`UPDATE "OutboxEvent" SET "sent_at" = now() WHERE "id" = ANY($1::uuid[])`, [
      rows.map((r) => r.id),
    ]);
    stats.published += rows.length;
    stats.rounds++;
    return rows.length;
  };

  const loop = (async () => {
    while (!closed) {
      pause.forget();
      // Only waiters that were there before this round's SELECT can be told "all sent".
      const serving = flushWaiters;
      flushWaiters = [];
      let published = 0;
      try {
        published = await round();
      } catch (error) {
        stats.failures++;
        logger?.warn('outbox relay round failed; will retry', { error: (error as Error).message });
        for (const w of serving) w.reject(error);
        // A failed round waits its retry delay in full unless woken while waiting.
        pause.forget();
        if (!closed) await pause.sleep(retryDelayMs);
        continue;
      }
      if (published === batchSize) {
        flushWaiters.unshift(...serving);
        continue;
      }
      for (const w of serving) w.resolve();
      if (!flushWaiters.length && !closed) await pause.sleep(pollIntervalMs);
    }
  })();

  const notify = () => pause.wake();

  return {
    notify,
    flush: () =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error('outbox relay is closed'));
        flushWaiters.push({ resolve, reject });
        notify();
      }),
    backlog: () => outboxBacklog(database),
    oldestUnsentAge: () => outboxOldestUnsentAge(database),
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
      pause.wake();
      await loop;
      const waiters = flushWaiters;
      flushWaiters = [];
      for (const w of waiters) w.reject(new Error('outbox relay closed'));
    },
  };
}
