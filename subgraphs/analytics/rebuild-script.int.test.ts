import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../platform/db/database.ts';
import { applyMigrations, readMigrations } from '../platform/db/migrate.ts';
import { billingConsumer, BILLING_TOPIC } from './events/billing-consumer.ts';
import { ordersConsumer, ORDERS_TOPIC } from './events/orders-consumer.ts';
import { planningConsumer, PLANNING_TOPIC } from './events/planning-consumer.ts';
import { syntheticHistory } from './events/synthetic-history.ts';
import { PrismaClient } from './generated/prisma/client.ts';

/** Runs `npm run analytics:rebuild` on an embedded data folder, as an operator would. */
function rebuild(dataDir: string): Promise<{ code: number | null; out: string }> {
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.KAFKA_BROKERS;
  delete env.POSTGRES_URL;
  delete env.EVENT_TRANSPORT;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/analytics-rebuild.ts', '--batch', '100'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

const withDatabase = async <T>(dataDir: string, work: (database: Awaited<ReturnType<typeof openDatabase>>, db: PrismaClient) => Promise<T>) => {
  const database = await openDatabase({ kind: 'pglite', location: join(dataDir, 'analytics') });
  const db = new PrismaClient({ adapter: database.adapter });
  try {
    return await work(database, db);
  } finally {
    await db.$disconnect();
    await database.close();
  }
};

describe('scripts/analytics-rebuild.ts on the embedded database', () => {
  let dataDir: string;
  const orgId = '01900000-0000-7000-8000-000000000001';
  const history = [...syntheticHistory({ orgId, orders: 150, start: new Date('2031-01-01T00:00:00Z'), days: 40, seed: 3 })];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-analytics-rebuild-'));
    await withDatabase(dataDir, async (database, db) => {
      await applyMigrations(database, await readMigrations('prisma/analytics/migrations'));
      const handlers = { [ORDERS_TOPIC]: ordersConsumer(db), [PLANNING_TOPIC]: planningConsumer(db), [BILLING_TOPIC]: billingConsumer(db) };
      for (const { topic, envelope } of history) await handlers[topic]!(envelope);
    });
  }, 300_000);
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('replays the event log with progress and memory, prints the figures and ends identical to the live model', async () => {
    const { code, out } = await rebuild(dataDir);
    expect(out).toMatch(new RegExp(`rebuild: ${history.length}/${history.length} events \\(100\\.0%\\)  \\d+ events/s  RSS \\d+ MB \\(peak \\d+ MB\\)`));
    expect(out).toContain(`organization ${orgId}`);
    expect(out).toMatch(/orders: 150 created, \d+ delivered, \d+ failed, \d+ cancelled/);
    expect(out).toContain('rebuild: identical to the live model (1 organizations');
    expect(code).toBe(0);
  }, 120_000);

  it('given a log that lost events, then it says the figures differ and exits 1', async () => {
    await withDatabase(dataDir, (database) => database.query(`DELETE FROM "EventLog" WHERE "type" = 'voidtracker.planning.stop.failed.v1'`));
    const { code, out } = await rebuild(dataDir);
    expect(out).toContain('the rebuilt figures DIFFER from the live model');
    expect(out).toMatch(/ordersFailed: [1-9]\d* != 0/);
    expect(code).toBe(1);
  }, 120_000);
});
