import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../../../gateway/testing/harness.ts';
import { openScratchDatabase, type ScratchDatabase } from '../../kernel/db/scratch.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { DEFAULT_SETTINGS } from '../domain/billing-settings.ts';
import { DEFAULT_RATE_CARD } from '../domain/rate-rules.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { billing } from '../server.ts';
import { ensureDefaultRateCard } from './rate-cards.ts';
import { ensureSettings, settingsValues } from './settings.ts';

const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const now = new Date('2026-12-08T09:00:00Z');

/** The defaults pricing makes on an organization's first order, each in one statement. */
describe.each(await availableBackends())("an organization's billing defaults on %s", (backend) => {
  let scratch: ScratchDatabase<PrismaClient>;
  let db: PrismaClient;

  beforeAll(async () => {
    scratch = await openScratchDatabase(billing, backend === 'postgres' ? postgresUrl : undefined);
    db = scratch.db;
  });
  afterAll(() => scratch?.close());

  it('given none, when made twice, then the settings are the defaults, once', async () => {
    const org = crypto.randomUUID();
    await db.$transaction((tx) => ensureSettings(prismaSql(tx), org, now));
    await db.$transaction((tx) => ensureSettings(prismaSql(tx), org, new Date(now.getTime() + 1_000)));

    const row = await db.billingSettings.findUniqueOrThrow({ where: { orgId: org } });
    expect(settingsValues(row)).toEqual(DEFAULT_SETTINGS);
    expect(row.updatedAt).toEqual(now);
  });

  it('given none, when made twice, then the ORG_DEFAULT card is the default with one version; beside another default card it is not', async () => {
    const org = crypto.randomUUID();
    await db.$transaction((tx) => ensureDefaultRateCard(prismaSql(tx), org, now));
    await db.$transaction((tx) => ensureDefaultRateCard(prismaSql(tx), org, now));

    const cards = await db.rateCard.findMany({ where: { orgId: org }, include: { versions: true } });
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ code: DEFAULT_RATE_CARD.code, isDefault: true });
    expect(cards[0]!.versions.map((v) => [v.version, v.name, v.currency, v.effectiveFrom])).toEqual([[1, DEFAULT_RATE_CARD.name, DEFAULT_RATE_CARD.currency, DEFAULT_RATE_CARD.effectiveFrom]]);

    const other = crypto.randomUUID();
    await db.rateCard.create({ data: { id: crypto.randomUUID(), orgId: other, code: 'OWN', isDefault: true, createdAt: now } });
    await db.$transaction((tx) => ensureDefaultRateCard(prismaSql(tx), other, now));
    expect(await db.rateCard.findFirstOrThrow({ where: { orgId: other, code: DEFAULT_RATE_CARD.code } })).toMatchObject({ isDefault: false });
  });
});
