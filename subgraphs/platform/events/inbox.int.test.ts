import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.ts';
import { createBusTransport } from './bus-transport.ts';
import { alreadyHandled, claimEvent, handleOnce, INBOX_DDL, pruneInbox } from './inbox.ts';
import { prismaSql } from './sql.ts';
import { eventually, OrderCreated, ORG } from './testing/test-support.ts';

describe('idempotent consumer: inbox (PGlite)', () => {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase({ kind: 'pglite', location: 'memory://' });
    await database.exec(INBOX_DDL);
    await database.exec(`CREATE TABLE "Route" (order_id TEXT PRIMARY KEY, stops INT NOT NULL DEFAULT 0)`);
    await database.exec(`CREATE TABLE "Counter" (name TEXT PRIMARY KEY, n INT NOT NULL)`);
    await database.exec(`INSERT INTO "Counter" VALUES ('effects', 0)`);
  });
  afterEach(async () => {
    await database.close();
  });

  const effects = async () => (await database.query<{ n: number }>(`SELECT n FROM "Counter"`))[0]!.n;

  it('given the same event delivered twice, when handled with handleOnce, then the effect happens once', async () => {
    // Given
    const e = OrderCreated.create({ orderId: 'o-1', seq: 0 }, { subject: 'o-1', orgId: ORG });
    const handle = () =>
      database.transaction((tx) =>
        handleOnce(tx, 'planning', e, async () => {
          await tx.query(`UPDATE "Counter" SET n = n + 1`);
          return 'planned';
        }),
      );

    // When
    const first = await handle();
    const second = await handle();

    // Then
    expect(first).toEqual({ handled: true, result: 'planned' });
    expect(second).toEqual({ handled: false });
    expect(await effects()).toBe(1);
    expect(await alreadyHandled(database, 'planning', e.id)).toBe(true);
  });

  it('given two consumers, when each handles the same event, then each applies it once (the inbox is per consumer)', async () => {
    const e = OrderCreated.create({ orderId: 'o-1', seq: 0 }, { subject: 'o-1', orgId: ORG });
    for (const consumer of ['planning', 'billing', 'planning', 'billing']) {
      await database.transaction((tx) => handleOnce(tx, consumer, e, () => tx.query(`UPDATE "Counter" SET n = n + 1`)));
    }
    expect(await effects()).toBe(2);
  });

  it('given an effect that fails, when the transaction rolls back, then the inbox row goes too and a redelivery applies it', async () => {
    // Given
    const e = OrderCreated.create({ orderId: 'o-1', seq: 0 }, { subject: 'o-1', orgId: ORG });
    let fail = true;
    const handle = () =>
      database.transaction((tx) =>
        handleOnce(tx, 'planning', e, async () => {
          await tx.query(`UPDATE "Counter" SET n = n + 1`);
          if (fail) throw new Error('crash after the effect, before commit');
        }),
      );

    // When
    await expect(handle()).rejects.toThrow(/crash/);
    expect(await alreadyHandled(database, 'planning', e.id)).toBe(false);
    expect(await effects()).toBe(0);
    fail = false;
    await handle();

    // Then
    expect(await effects()).toBe(1);
  });

  it('given a bus redelivering after the effect committed, when the inbox guards the handler, then the effect is applied once', async () => {
    // Given: the handler's commit succeeds but the ack is "lost" on the first attempt
    const bus = createBusTransport();
    let attempts = 0;
    await bus.subscribe({
      group: 'planning',
      topics: ['voidtracker.orders'],
      backoff: { initialMs: 5 },
      handle: async (envelope) => {
        attempts++;
        const event = OrderCreated.parse(envelope);
        await database.transaction((tx) =>
          handleOnce(tx, 'planning', event, () =>
            tx.query(`INSERT INTO "Route" (order_id) VALUES ($1)`, [event.data.orderId]),
          ),
        );
        if (attempts === 1) throw new Error('ack lost');
      },
    });

    // When
    await bus.publish('voidtracker.orders', [
      { envelope: OrderCreated.create({ orderId: 'o-9', seq: 0 }, { subject: 'o-9', orgId: ORG }) },
    ]);

    // Then
    await eventually('the redelivery', () => attempts === 2);
    expect(await database.query(`SELECT order_id FROM "Route"`)).toEqual([{ order_id: 'o-9' }]);
    await bus.close();
  });

  it('given a Prisma-style tx ($queryRawUnsafe), when claimed twice, then the second claim says already handled', async () => {
    // Given: the structural slice of a Prisma interactive transaction
    const tx = {
      $queryRawUnsafe: <T>(sql: string, ...values: unknown[]) => database.query(sql, values) as Promise<T>,
    };
    const sql = prismaSql(tx);

    // When / Then
    expect(await claimEvent(sql, 'audit', 'evt-1')).toBe(true);
    expect(await claimEvent(sql, 'audit', 'evt-1')).toBe(false);
    expect(await pruneInbox(database, new Date(Date.now() + 1_000))).toBe(1);
    expect(await claimEvent(sql, 'audit', 'evt-1')).toBe(true);
  });
});
