import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../../../gateway/testing/harness.ts';
import { openScratchDatabase, type ScratchDatabase } from '../../kernel/db/scratch.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { billing } from '../server.ts';
import { allocateNumber } from './numbering.ts';

const ORG = '01900000-0000-7000-8000-0000000000aa';
const SETTINGS = { numberPattern: '{series}-{fy}-{seq:4}', fiscalYearStartMonth: 7 };
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe.each(await availableBackends())('the invoice counter on %s', (backend) => {
  let scratch: ScratchDatabase<PrismaClient>;
  let db: PrismaClient;

  beforeAll(async () => {
    scratch = await openScratchDatabase(billing, backend === 'postgres' ? postgresUrl : undefined);
    db = scratch.db;
  });
  afterAll(() => scratch?.close());

  const take = (series: string, at: Date) => db.$transaction((tx) => allocateNumber(tx, ORG, SETTINGS, series, at));

  it('given a transaction that fails after taking a number, then the number is given back: no gap', async () => {
    const at = new Date('2026-08-01T00:00:00Z');
    expect(await take('INV', at)).toEqual({ series: 'INV', fiscalYear: 2026, sequence: 1, number: 'INV-2026-0001' });
    await expect(
      db.$transaction(async (tx) => {
        expect((await allocateNumber(tx, ORG, SETTINGS, 'INV', at)).sequence).toBe(2);
        throw new Error('the issue failed after numbering');
      }),
    ).rejects.toThrow(/failed after numbering/);
    expect((await take('INV', at)).number).toBe('INV-2026-0002');
  });

  it('given series and fiscal years, then each counts on its own; a July year turns on 1 July', async () => {
    expect((await take('CN', new Date('2026-08-01T00:00:00Z'))).number).toBe('CN-2026-0001');
    expect((await take('INV', new Date('2027-06-30T23:59:59Z'))).number).toBe('INV-2026-0003');
    expect((await take('INV', new Date('2027-07-01T00:00:00Z'))).number).toBe('INV-2027-0001');
  });

  it('given many transactions taking numbers at once, some failing, then the committed ones are exactly 1..N', async () => {
    const at = new Date('2030-09-01T00:00:00Z');
    const attempts = Array.from({ length: 30 }, (_, i) =>
      db
        .$transaction(
          async (tx) => {
            const n = await allocateNumber(tx, ORG, SETTINGS, 'RACE', at);
            if (i % 3 === 0) throw new Error('rolled back');
            return n.sequence;
          },
          { maxWait: 20_000, timeout: 20_000 },
        )
        .catch(() => null),
    );
    const committed = (await Promise.all(attempts)).filter((n): n is number => n !== null);
    expect(committed).toHaveLength(20);
    expect(committed.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
