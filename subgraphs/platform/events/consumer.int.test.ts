import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.ts';
import { on, runConsumer, sqlTransactions, type EventConsumer, type Transactions } from './consumer.ts';
import { INBOX_DDL } from './inbox.ts';
import type { SqlExecutor } from './sql.ts';
import { OrderCancelled, OrderCreated, ORG } from './testing/test-support.ts';

/** The "full" path's transaction: the same database, told apart from the plain SQL one. */
interface FullTx {
  full: SqlExecutor;
}
const fullTransactions = (database: Database): Transactions<FullTx> => ({
  run: (work) => database.transaction((session) => work({ full: session }, session)),
});

const META = { topic: 'orders', partition: 0, group: 'g' };
const created = (seq: number) => OrderCreated.create({ orderId: `o-${seq}`, seq }, { subject: `o-${seq}`, orgId: ORG });
const cancelled = (seq: number) => OrderCancelled.create({ orderId: `o-${seq}`, reason: null }, { subject: `o-${seq}`, orgId: ORG });

describe("runConsumer: a route's plain SQL hot path", () => {
  let database: Database;
  const effects = async () => database.query<{ label: string; path: string }>(`SELECT "label", "path" FROM "Effect" ORDER BY "seq"`);
  const record = (sql: SqlExecutor, label: string, path: string) => sql.query(`INSERT INTO "Effect" ("label", "path") VALUES ($1, $2)`, [label, path]);

  /** OrderCreated has a sql handler, which declines seq 13; OrderCancelled has only the full one. */
  const consumer: EventConsumer<FullTx> = {
    name: 'hot-path',
    routes: [
      on([OrderCreated], async (e, tx: FullTx) => void (await record(tx.full, `created ${e.data.seq}`, 'full')), {
        sql: async (e, sql, ctx) => {
          if (e.data.seq === 13) ctx.decline();
          await record(sql, `created ${e.data.seq}`, 'sql');
        },
      }),
      on([OrderCancelled], async (e, tx: FullTx) => void (await record(tx.full, `cancelled ${e.data.orderId}`, 'full'))),
    ],
  };

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', location: 'memory://' });
    await database.exec(INBOX_DDL);
    await database.exec(`CREATE TABLE "Effect" ("seq" serial PRIMARY KEY, "label" text NOT NULL, "path" text NOT NULL)`);
  });
  beforeEach(async () => {
    await database.exec(`TRUNCATE "Effect"; TRUNCATE "InboxEvent"`);
  });
  afterAll(async () => {
    await database.close();
  });

  it('given a batch mixing routes with and without a sql handler, when applied, then each event goes its own way, in order, once', async () => {
    const running = runConsumer(fullTransactions(database), consumer, { sql: sqlTransactions(database) });
    const batch = [created(1), created(2), cancelled(2), created(3)];

    await running.handleBatch(batch, META);
    await running.handleBatch(batch, META); // redelivered

    expect(await effects()).toEqual([
      { label: 'created 1', path: 'sql' },
      { label: 'created 2', path: 'sql' },
      { label: 'cancelled o-2', path: 'full' },
      { label: 'created 3', path: 'sql' },
    ]);
  });

  it('given a sql handler that declines an event, when the batch is applied, then its full handler applies it and the rest of the run is not applied twice', async () => {
    const running = runConsumer(fullTransactions(database), consumer, { sql: sqlTransactions(database) });

    await running.handleBatch([created(12), created(13), created(14)], META);

    expect(await effects()).toEqual([
      { label: 'created 12', path: 'sql' },
      { label: 'created 13', path: 'full' },
      { label: 'created 14', path: 'sql' },
    ]);
    const claimed = await database.query(`SELECT 1 FROM "InboxEvent" WHERE "consumer" = 'hot-path'`);
    expect(claimed).toHaveLength(3);
  });

  it('given no plain SQL transactions (a replay holding only the ORM), when applied, then every event goes to the full handlers', async () => {
    const running = runConsumer(fullTransactions(database), consumer);

    await running.handleBatch([created(1), created(13)], META);

    expect((await effects()).map((e) => e.path)).toEqual(['full', 'full']);
  });

  it('given a full handler that declines, when applied, then it fails like any error and nothing of its run is committed', async () => {
    const declining: EventConsumer<FullTx> = {
      name: 'declines-in-full',
      routes: [
        on([OrderCreated], async (e, tx: FullTx, ctx) => {
          await record(tx.full, `created ${e.data.seq}`, 'full');
          if (e.data.seq === 2) ctx.decline();
        }),
      ],
    };
    const running = runConsumer(fullTransactions(database), declining, { sql: sqlTransactions(database) });

    await expect(running.handleBatch([created(1), created(2)], META)).rejects.toThrow(/declined/);

    expect(await effects()).toEqual([]);
  });
});
