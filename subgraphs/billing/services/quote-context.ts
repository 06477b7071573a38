import type { SqlExecutor } from '../../platform/events/sql.ts';
import { DEFAULT_RATE_CARD } from '../domain/rate-rules.ts';
import type { CardVersion } from './quote-versions.ts';

/** What pricing a new order reads, as of the order's creation. */
export interface QuoteContext {
  quoted: boolean;
  /** The organization's card coded DEFAULT exists (made on its first quote otherwise). */
  hasDefaultCard: boolean;
  /** The default card's version in force at the order's creation (rateCards.versionInForce). */
  version: CardVersion | null;
  /** Null until the organization's settings row exists (ensureSettings makes it). */
  settings: { repriceOnPlanning: boolean; quoteValidityDays: number } | null;
  /** The planned share, to the metre, when planning routed the order before billing saw it. */
  plannedKm: string | null;
  /** A delivery recorded before the quote, to invoice at once. */
  delivered: boolean;
}

/**
 * Everything quoteNewOrder reads, in one statement: this is the consumer's hot path, and six
 * separate Prisma queries cost about five times the CPU of this one (docs/performance.md).
 * Run under the order's lock (lockOrder), so a delivery recorded meanwhile is seen.
 */
export async function readQuoteContext(sql: SqlExecutor, orgId: string, orderId: string, createdAt: Date): Promise<QuoteContext> {
  const [row] = await sql.query<{ quoted: boolean; hasDefaultCard: boolean; version: string | null; settings: string | null; plannedKm: string | null; delivered: boolean }>(
    `SELECT
       EXISTS (SELECT 1 FROM "Quote" WHERE "orderId" = $1::uuid) AS "quoted",
       EXISTS (SELECT 1 FROM "RateCard" WHERE "orgId" = $2::uuid AND "code" = $4) AS "hasDefaultCard",
       (SELECT json_build_object('id', v."id", 'currency', v."currency", 'rules', v."rules")::text
          FROM "RateCardVersion" v JOIN "RateCard" c ON c."id" = v."rateCardId"
         WHERE v."orgId" = $2::uuid AND c."isDefault" AND v."effectiveFrom" <= $3::timestamptz
           AND (v."effectiveTo" IS NULL OR v."effectiveTo" > $3::timestamptz)
         ORDER BY v."version" DESC LIMIT 1) AS "version",
       (SELECT json_build_object('repriceOnPlanning', s."repriceOnPlanning", 'quoteValidityDays', s."quoteValidityDays")::text
          FROM "BillingSettings" s WHERE s."orgId" = $2::uuid) AS "settings",
       (SELECT round(p."distanceKm", 3)::text FROM "PlannedDistance" p WHERE p."orderId" = $1::uuid AND p."orgId" = $2::uuid) AS "plannedKm",
       EXISTS (SELECT 1 FROM "DeliveredOrder" WHERE "orderId" = $1::uuid) AS "delivered"`,
    [orderId, orgId, createdAt.toISOString(), DEFAULT_RATE_CARD.code],
  );
  return {
    quoted: row!.quoted,
    hasDefaultCard: row!.hasDefaultCard,
    version: row!.version === null ? null : JSON.parse(row!.version),
    settings: row!.settings === null ? null : JSON.parse(row!.settings),
    plannedKm: row!.plannedKm,
    delivered: row!.delivered,
  };
}
