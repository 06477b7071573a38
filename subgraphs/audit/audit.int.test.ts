import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, orderCreatedEvent } from '../../gateway/testing/harness.ts';
import type { Database } from '../platform/db/database.ts';
import { openScratchDatabase } from '../kernel/db/scratch.ts';
import { audit } from './server.ts';
import { runConsumer, sqlTransactions } from '../platform/events/consumer.ts';
import { auditConsumer } from './events/audit-consumer.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { pruneExpired } from './services/retention.ts';
import { verifyChain } from './services/verify.ts';

const DAY = 86_400_000;
const orgA = crypto.randomUUID();
const orgB = crypto.randomUUID();
const customer = crypto.randomUUID();
const event = (orgId: string) => orderCreatedEvent(crypto.randomUUID(), orgId, customer);

const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The audit database on its own, as the subgraph runs it: migrations applied, Prisma on top. */
const openAuditDb = (backend: 'pglite' | 'postgres') => openScratchDatabase(audit, backend === 'postgres' ? postgresUrl : undefined);

describe.each(await availableBackends())('the audit chain on %s', (backend) => {
  let database: Database;
  let db: PrismaClient;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ database, db, close } = await openAuditDb(backend));
  });
  afterAll(() => close?.());

  it('given concurrent appends for two organizations, and duplicates among them, then each chain is gapless, unforked and verifies', async () => {
    const consume = runConsumer(sqlTransactions(database), auditConsumer).handle;
    const events = Array.from({ length: 120 }, (_, i) => event(i % 3 ? orgA : orgB));
    // Waves of 20 at once (about what one member's partitions deliver in parallel), each event twice.
    for (let i = 0; i < events.length; i += 20) {
      const wave = events.slice(i, i + 20);
      await Promise.all([...wave, ...wave].map((e) => consume(e)));
    }
    for (const [orgId, count] of [[orgA, 80], [orgB, 40]] as const) {
      const rows = await db.auditEntry.findMany({ where: { orgId }, orderBy: { sequence: 'asc' }, select: { sequence: true } });
      expect(rows.map((r) => Number(r.sequence))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(await verifyChain(db, orgId, {})).toMatchObject({ ok: true, checkedCount: count, headSequence: BigInt(count) });
    }
  });

  it('given a row edited or deleted with SQL, then verification reports the first broken link', async () => {
    const row = (await db.auditEntry.findUniqueOrThrow({ where: { orgId_sequence: { orgId: orgB, sequence: 10n } } }));
    await database.query(`UPDATE "AuditEntry" SET "actorId" = 'intruder' WHERE "id" = $1`, [row.id]);
    expect((await verifyChain(db, orgB, {})).firstBrokenLink).toEqual({ sequence: 10n, entryId: row.id, reason: 'HASH_MISMATCH' });
    await database.query(`UPDATE "AuditEntry" SET "actorId" = NULL WHERE "id" = $1`, [row.id]);
    expect((await verifyChain(db, orgB, {})).ok).toBe(true);

    await database.query(`DELETE FROM "AuditEntry" WHERE "orgId" = $1 AND "sequence" = 40`, [orgB]);
    expect((await verifyChain(db, orgB, {})).firstBrokenLink).toEqual({ sequence: 40n, entryId: null, reason: 'MISSING_ENTRY' });
    await database.query(`DELETE FROM "AuditEntry" WHERE "orgId" = $1 AND "sequence" = 20`, [orgB]);
    expect((await verifyChain(db, orgB, {})).firstBrokenLink).toEqual({ sequence: 20n, entryId: null, reason: 'MISSING_ENTRY' });
    expect((await verifyChain(db, orgB, { fromSequence: 22n, toSequence: 39n })).ok).toBe(true);
    expect((await verifyChain(db, orgB, { fromSequence: 21n })).firstBrokenLink).toEqual({ sequence: 20n, entryId: null, reason: 'MISSING_ENTRY' });
  });

  it('given retention, then expired entries go, the anchor keeps the rest verifiable, and a broken expired stretch is never pruned', async () => {
    const org = crypto.randomUUID();
    const now = new Date();
    const old = runConsumer(sqlTransactions(database), auditConsumer, { clock: () => new Date(now.getTime() - 10 * DAY) }).handle;
    const fresh = runConsumer(sqlTransactions(database), auditConsumer, { clock: () => now }).handle;
    for (let i = 0; i < 5; i++) await old(event(org));
    for (let i = 0; i < 3; i++) await fresh(event(org));

    // A tampered entry in the expired stretch: pruning refuses rather than hide it.
    const victim = await db.auditEntry.findUniqueOrThrow({ where: { orgId_sequence: { orgId: org, sequence: 2n } } });
    await database.query(`UPDATE "AuditEntry" SET "subject" = 'forged' WHERE "id" = $1`, [victim.id]);
    expect(await pruneExpired(db, { now, retentionDays: 7, orgId: org })).toEqual({ pruned: 0, refused: [org] });
    await database.query(`UPDATE "AuditEntry" SET "subject" = $2 WHERE "id" = $1`, [victim.id, victim.subject]);

    expect(await pruneExpired(db, { now, retentionDays: 7, orgId: org })).toEqual({ pruned: 5, refused: [] });
    expect(await db.auditEntry.count({ where: { orgId: org } })).toBe(3);
    expect(await verifyChain(db, org, {})).toMatchObject({ ok: true, checkedCount: 3, fromSequence: 6n, toSequence: 8n, prunedThrough: 5n });
    await fresh(event(org));
    expect(await verifyChain(db, org, {})).toMatchObject({ ok: true, checkedCount: 4, headSequence: 9n });
    // The anchor is what the first kept entry must follow: forge it and the chain breaks there.
    await database.query(`UPDATE "AuditChain" SET "anchorHash" = repeat('b', 64) WHERE "orgId" = $1`, [org]);
    expect((await verifyChain(db, org, {})).firstBrokenLink).toMatchObject({ sequence: 6n, reason: 'PREVIOUS_MISMATCH' });
    // Nothing else expired: a second run prunes nothing.
    expect((await pruneExpired(db, { now, retentionDays: 7, orgId: org })).pruned).toBe(0);
  });
});
