import type { Principal } from '../../kernel/auth/principal.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { CreateRateCard, PublishVersion } from '../domain/rate-card-input.ts';
import { DEFAULT_RATE_CARD, RuleSetSchema } from '../domain/rate-rules.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/**
 * Gives an organization its ORG_DEFAULT card (version 1) unless it has one; it is the default card
 * unless the organization has another. Idempotent, in one statement (pricing's plain SQL path runs
 * it): called when iam announces the organization and, in case its orders arrive first, before pricing.
 */
export async function ensureDefaultRateCard(sql: SqlExecutor, orgId: string, now: Date): Promise<void> {
  await sql.query(
    `WITH card AS (
       INSERT INTO "RateCard" ("id", "orgId", "code", "isDefault", "createdAt")
       SELECT $1::uuid, $2::uuid, $3, NOT EXISTS (SELECT 1 FROM "RateCard" WHERE "orgId" = $2::uuid AND "isDefault"), $4::timestamptz
       ON CONFLICT ("orgId", "code") DO NOTHING
       RETURNING "id")
     INSERT INTO "RateCardVersion" ("id", "orgId", "rateCardId", "version", "name", "currency", "effectiveFrom", "rules", "createdAt")
     SELECT $5::uuid, $2::uuid, card."id", 1, $6, $7, $8::timestamptz, $9::jsonb, $4::timestamptz FROM card`,
    [
      uuidv7(now.getTime()),
      orgId,
      DEFAULT_RATE_CARD.code,
      now.toISOString(),
      uuidv7(now.getTime()),
      DEFAULT_RATE_CARD.name,
      DEFAULT_RATE_CARD.currency,
      DEFAULT_RATE_CARD.effectiveFrom.toISOString(),
      JSON.stringify(RuleSetSchema.parse(DEFAULT_RATE_CARD.rules)),
    ],
  );
}

/** The version of the organization's default card in force at `at`: the newest one whose period holds it. */
export const versionInForce = (tx: Tx, orgId: string, at: Date) =>
  tx.rateCardVersion.findFirst({
    where: { orgId, rateCard: { isDefault: true }, effectiveFrom: { lte: at }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: at } }] },
    orderBy: { version: 'desc' },
  });

export async function createRateCard(db: PrismaClient, principal: Principal, input: CreateRateCard, now: Date) {
  const { orgId } = principal;
  try {
    return await db.$transaction(async (tx) => {
      // Exactly one default card per organization: making this one default demotes the other.
      if (input.makeDefault) await tx.rateCard.updateMany({ where: { orgId, isDefault: true }, data: { isDefault: false } });
      const card = await tx.rateCard.create({ data: { id: uuidv7(now.getTime()), orgId, code: input.code, isDefault: input.makeDefault, createdAt: now } });
      await tx.rateCardVersion.create({ data: versionRow(orgId, card.id, 1, input, now) });
      return card;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A rate card with code "${input.code}" already exists.`, ['input', 'code']);
    throw error;
  }
}

/** Adds version N+1; existing versions (and the quotes priced with them) never change. */
export async function publishRateCardVersion(db: PrismaClient, principal: Principal, input: PublishVersion, now: Date) {
  try {
    return await db.$transaction(async (tx) => {
      // Another tenant's card is as unknown as a missing one.
      const card = await tx.rateCard.findFirst({ where: { id: input.rateCardId, orgId: principal.orgId } });
      if (!card) throw notFound('Rate card', ['input', 'rateCardId']);
      const latest = await tx.rateCardVersion.findFirst({ where: { rateCardId: card.id }, orderBy: { version: 'desc' } });
      return tx.rateCardVersion.create({ data: versionRow(principal.orgId, card.id, (latest?.version ?? 0) + 1, input, now) });
    });
  } catch (error) {
    // Two publishes racing for the same number: the loser retries.
    if (isUniqueViolation(error)) throw conflict('Another version was published at the same time; try again.', ['input', 'rateCardId']);
    throw error;
  }
}

const versionRow = (orgId: string, rateCardId: string, version: number, input: Omit<PublishVersion, 'rateCardId'>, now: Date) => ({
  id: uuidv7(now.getTime()),
  orgId,
  rateCardId,
  version,
  name: input.name,
  currency: input.currency,
  effectiveFrom: input.effectiveFrom,
  effectiveTo: input.effectiveTo,
  rules: input.rules,
  createdAt: now,
});
