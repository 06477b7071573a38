import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.ts';
import { createBusTransport } from './bus-transport.ts';
import type { EventEnvelope } from './envelope.ts';
import { monotonicUuidv7, OUTBOX_DDL, outboxBacklog, pruneOutbox, startOutboxRelay, toOutboxRow, writeOutbox } from './outbox.ts';
import { eventually, OrderCreated, ORG } from './testing/test-support.ts';
import type { EventTransport } from './transport.ts';

const TOPIC = 'voidtracker.orders';
const event = (key: string, seq: number) => OrderCreated.create({ orderId: key, seq }, { subject: key, orgId: ORG });

/** Per key, the seqs a consumer group received, first arrivals only. */
async function consumeAll(transport: EventTransport, group: string) {
  const seen: Array<{ key: string; seq: number; id: string }> = [];
  const sub = await transport.subscribe({
    group,
    topics: [TOPIC],
    handle: async (e) => {
      const d = OrderCreated.parse(e).data;
      seen.push({ key: d.orderId, seq: d.seq, id: e.id });
    },
  });
  return { seen, sub };
}

describe('transactional outbox and relay (PGlite)', () => {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase({ kind: 'pglite', location: 'memory://' });
    await database.exec(OUTBOX_DDL);
  });
  afterEach(async () => {
    await database.close();
  });

  it('given ids made in one millisecond, when sorted, then they keep creation order', () => {
    const ids = Array.from({ length: 500 }, () => monotonicUuidv7(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
  });

  it('given a lone surrogate and a NUL anywhere in an event, when written, then PostgreSQL stores it (U+FFFD in their place)', async () => {
    // Given: JSON.stringify writes "\ud800" as an escape jsonb rejects, and jsonb and text both refuse NUL.
    const e = OrderCreated.create({ orderId: 'o-\ud800-\u0000', seq: 7 }, { subject: 'k-\u0000', orgId: ORG });

    // When
    await writeOutbox(database, TOPIC, [e]);

    // Then
    const [row] = await database.query<{ key: string; envelope: { data: { orderId: string } } }>(`SELECT "key", "envelope" FROM "OutboxEvent"`);
    expect(row!.key).toBe('k-\uFFFD');
    expect(row!.envelope.data.orderId).toBe('o-\uFFFD-\uFFFD');
  });

  it('given a state change that rolls back, when its outbox row was written in the same transaction, then nothing is published', async () => {
    // Given / When
    await expect(
      database.transaction(async (tx) => {
        await writeOutbox(tx, TOPIC, [event('o-1', 0)]);
        throw new Error('validation failed after the write');
      }),
    ).rejects.toThrow(/validation failed/);

    // Then
    expect(await outboxBacklog(database)).toBe(0);
  });

  it('given committed rows for several keys, when the relay runs, then it publishes them in order per key and marks them sent', async () => {
    // Given
    const bus = createBusTransport({ partitions: 3 });
    const { seen } = await consumeAll(bus, 'g');
    const keys = ['o-1', 'o-2', 'o-3', 'o-4'];
    for (let seq = 0; seq < 5; seq++) {
      await database.transaction((tx) => writeOutbox(tx, TOPIC, keys.map((k) => event(k, seq))));
    }
    expect(await outboxBacklog(database)).toBe(20);

    // When: small batches, so order must hold across rounds too
    const relay = startOutboxRelay({ database, transport: bus, batchSize: 3, pollIntervalMs: 60_000 });
    await relay.flush();

    // Then
    await eventually('20 events consumed', () => seen.length >= 20);
    for (const k of keys) expect(seen.filter((s) => s.key === k).map((s) => s.seq), k).toEqual([0, 1, 2, 3, 4]);
    expect(await relay.backlog()).toBe(0);
    const unsent = await database.query(`SELECT id FROM "OutboxEvent" WHERE sent_at IS NULL`);
    expect(unsent).toEqual([]);
    expect(relay.stats().published).toBe(20);
    await relay.close();
    await bus.close();
  });

  it('given the relay polls slowly, when notify() is called after a commit, then the row goes out without waiting for the poll', async () => {
    // Given
    const bus = createBusTransport();
    const { seen } = await consumeAll(bus, 'g');
    const relay = startOutboxRelay({ database, transport: bus, pollIntervalMs: 10 * 60_000 });
    await relay.flush();

    // When
    await database.transaction((tx) => writeOutbox(tx, TOPIC, [event('o-n', 0)]));
    relay.notify();

    // Then (the poll interval is ten minutes: only notify can explain the delivery)
    await eventually('notified delivery', () => seen.length === 1);
    await relay.close();
    await bus.close();
  });

  it('given the relay is killed after publishing but before marking, when a new relay starts, then the rows are published again (duplicates, never losses) in order', async () => {
    // Given: a database connection that dies on the relay's UPDATE (the "kill" point)
    const bus = createBusTransport({ partitions: 2 });
    const { seen } = await consumeAll(bus, 'g');
    const keys = ['o-a', 'o-b'];
    for (let seq = 0; seq < 4; seq++) await database.transaction((tx) => writeOutbox(tx, TOPIC, keys.map((k) => event(k, seq))));
    let killed = false;
    const dying: Pick<Database, 'query'> = {
      query: async <T>(sql: string, params?: unknown[]) => {
        if (sql.startsWith('UPDATE')) {
          killed = true;
          throw new Error('connection terminated');
        }
        return database.query<T>(sql, params);
      },
    };
    const first = startOutboxRelay({ database: dying, transport: bus, batchSize: 5, pollIntervalMs: 60_000, retryDelayMs: 60_000 });
    await eventually('the crash', () => killed);
    await first.close();
    await eventually('the first batch delivered', () => seen.length >= 5);
    expect(await outboxBacklog(database)).toBe(8);

    // When
    const second = startOutboxRelay({ database, transport: bus, batchSize: 5, pollIntervalMs: 60_000 });
    await second.flush();

    // Then: all 8 rows sent; the crashed batch arrives twice; the first arrival of each key is in order
    expect(await outboxBacklog(database)).toBe(0);
    await eventually('13 deliveries (5 twice)', () => seen.length >= 13);
    expect(seen).toHaveLength(13);
    expect(new Set(seen.map((s) => s.id)).size).toBe(8);
    const firsts = seen.filter((s, i) => seen.findIndex((t) => t.id === s.id) === i);
    for (const k of keys) expect(firsts.filter((s) => s.key === k).map((s) => s.seq), k).toEqual([0, 1, 2, 3]);
    await second.close();
    await bus.close();
  });

  it('given a transport that is down, when the relay runs, then rows stay unsent and go out once it is back', async () => {
    // Given
    const bus = createBusTransport();
    const { seen } = await consumeAll(bus, 'g');
    let down = true;
    const flaky: EventTransport = {
      ...bus,
      publish: async (topic, records) => {
        if (down) throw new Error('broker unreachable');
        return bus.publish(topic, records);
      },
    };
    await database.transaction((tx) => writeOutbox(tx, TOPIC, [event('o-d', 0), event('o-d', 1)]));
    const relay = startOutboxRelay({ database, transport: flaky, pollIntervalMs: 60_000, retryDelayMs: 20 });
    await eventually('a failed round', () => relay.stats().failures > 0);
    expect(await relay.backlog()).toBe(2);
    // Written 90 s ago, as a stuck relay would leave them: the age is what the outbox alert reads.
    const backdatedAt = Date.now();
    await database.query(`UPDATE "OutboxEvent" SET "created_at" = now() - interval '90 seconds' WHERE "sent_at" IS NULL`);
    const age = await relay.oldestUnsentAge();
    // 90 s plus however long this took on the machine, never a fixed bound a busy host could break.
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThanOrEqual(90 + Math.ceil((Date.now() - backdatedAt) / 1000) + 1);

    // When
    down = false;

    // Then
    await eventually('delivery after recovery', () => seen.length === 2);
    expect(seen.map((s) => s.seq)).toEqual([0, 1]);
    await eventually('rows marked', async () => (await relay.backlog()) === 0);
    expect(await relay.oldestUnsentAge()).toBe(0);
    await relay.close();
    await bus.close();
  });

  it('given rows written through the Prisma-shaped row, when stored, then the relay publishes the exact envelope', async () => {
    // Given: what `tx.outboxEvent.create({ data: toOutboxRow(...) })` inserts
    const bus = createBusTransport();
    const got: EventEnvelope[] = [];
    await bus.subscribe({ group: 'g', topics: [TOPIC], handle: async (e) => void got.push(e) });
    const e = event('o-p', 7);
    const row = toOutboxRow(TOPIC, e);
    await database.query(`INSERT INTO "OutboxEvent" (id, topic, key, type, envelope) VALUES ($1, $2, $3, $4, $5)`, [
      row.id,
      row.topic,
      row.key,
      row.type,
      JSON.stringify(row.envelope),
    ]);

    // When
    const relay = startOutboxRelay({ database, transport: bus, pollIntervalMs: 60_000 });
    await relay.flush();

    // Then
    await eventually('delivery', () => got.length === 1);
    expect(got[0]).toEqual(e);
    expect(row).toMatchObject({ topic: TOPIC, key: 'o-p', type: e.type });
    await relay.close();
    await bus.close();
    expect(() => toOutboxRow(TOPIC, { ...e, time: 'yesterday' })).toThrow(/time/);
    // Sent rows can be pruned later.
    expect(await pruneOutbox(database, new Date(Date.now() + 1_000))).toBe(1);
  });
});
