import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableBackends } from '../../../gateway/testing/harness.ts';
import { dropDatabase, openDatabase, type Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { INBOX_DDL } from './inbox.ts';
import { OUTBOX_DDL } from './outbox.ts';
import { pruneEventTables, startEventRetention } from './retention.ts';
import { eventually } from './testing/test-support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2031-03-01T12:00:00Z');
const SETTINGS = { outboxRetentionMs: 7 * DAY, inboxRetentionMs: 14 * DAY };
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const postgresServer = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function addOutbox(database: Database, id: string, createdAt: Date, sentAt: Date | null) {
  await database.query(`INSERT INTO "OutboxEvent" (id, topic, key, type, envelope, created_at, sent_at) VALUES ($1, 't', 'k', 'x', '{}', $2, $3)`, [id, createdAt, sentAt]);
}
async function addInbox(database: Database, eventId: string, receivedAt: Date) {
  await database.query(`INSERT INTO "InboxEvent" (consumer, event_id, received_at) VALUES ('orders.planning', $1, $2)`, [eventId, receivedAt]);
}
const outboxIds = async (database: Database) => (await database.query<{ id: string }>(`SELECT id FROM "OutboxEvent" ORDER BY id`)).map((r) => r.id);
const inboxIds = async (database: Database) => (await database.query<{ event_id: string }>(`SELECT event_id FROM "InboxEvent" ORDER BY event_id`)).map((r) => r.event_id);
const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe.each(await availableBackends())('retention of the event tables on %s', (backend) => {
  let database: Database;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    if (backend === 'pglite') {
      database = await openDatabase({ kind: 'pglite', location: 'memory://' });
      dispose = () => database.close();
    } else {
      const url = new URL(postgresServer);
      url.pathname = `/growth_retention_${randomBytes(4).toString('hex')}`;
      database = await openDatabase({ kind: 'postgres', location: url.toString() });
      dispose = async () => {
        await database.close();
        await dropDatabase(url.toString());
      };
    }
    await database.exec(OUTBOX_DDL);
    await database.exec(INBOX_DDL);
  });
  afterEach(async () => {
    await dispose();
  });

  it('given published rows past retention, recent ones and old unpublished ones, when pruned in small batches, then exactly the expired are deleted', async () => {
    // 1-7: published 8 days ago (expired); 8-9: published an hour ago; 10-12: written 30 days ago, never published.
    for (let i = 1; i <= 7; i++) await addOutbox(database, uuid(i), ago(9 * DAY), ago(8 * DAY));
    for (let i = 8; i <= 9; i++) await addOutbox(database, uuid(i), ago(2 * HOUR), ago(HOUR));
    for (let i = 10; i <= 12; i++) await addOutbox(database, uuid(i), ago(30 * DAY), null);
    // Inbox: 5 received 15 days ago (past the dedup window), 2 received 13 days ago (inside it).
    for (let i = 1; i <= 5; i++) await addInbox(database, `old-${i}`, ago(15 * DAY));
    for (let i = 1; i <= 2; i++) await addInbox(database, `recent-${i}`, ago(13 * DAY));

    // A batch of 2 makes the 7 expired rows take four DELETEs, the last one short.
    expect(await pruneEventTables(database, SETTINGS, NOW, 2)).toEqual({ outbox: 7, inbox: 5 });
    expect(await outboxIds(database)).toEqual([8, 9, 10, 11, 12].map(uuid));
    expect(await inboxIds(database)).toEqual(['recent-1', 'recent-2']);

    expect(await pruneEventTables(database, SETTINGS, NOW, 2)).toEqual({ outbox: 0, inbox: 0 });
  });

  it('given a row exactly at the cutoff, then it is kept (only older ones go)', async () => {
    await addOutbox(database, uuid(1), ago(8 * DAY), ago(7 * DAY));
    await addInbox(database, 'edge', ago(14 * DAY));
    expect(await pruneEventTables(database, SETTINGS, NOW)).toEqual({ outbox: 0, inbox: 0 });
    expect(await outboxIds(database)).toEqual([uuid(1)]);
  });

  it('given the periodic job, when rows expire, then a later tick deletes them and keeps the rest', async () => {
    await addOutbox(database, uuid(1), new Date(Date.now() - 3 * DAY), new Date(Date.now() - 2 * DAY));
    await addOutbox(database, uuid(2), new Date(Date.now() - 3 * DAY), null);
    await addInbox(database, 'old', new Date(Date.now() - 20 * DAY));
    await addInbox(database, 'new', new Date());
    const job = startEventRetention({ database, settings: { outboxRetentionMs: DAY, inboxRetentionMs: 14 * DAY }, logger: createLogger('silent'), everyMs: 20 });
    try {
      await eventually('the expired outbox row to go', async () => (await outboxIds(database)).join() === uuid(2));
      await eventually('the expired inbox row to go', async () => (await inboxIds(database)).join() === 'new');
    } finally {
      job.close();
    }
  });
});
