/**
 * Writing a quote's versions and its cost to serve: shared by pricing (services/quotes.ts) and
 * invoicing (services/drafting.ts), which re-prices a quote whose lock ended before the delivery.
 */
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql, type SqlExecutor } from '../../platform/events/sql.ts';
import type { StoredOrderFacts } from '../domain/order-facts.ts';
import { priceQuote, type DistanceSource, type PricedQuote } from '../domain/price-quote.ts';
import type { QuoteReason } from '../domain/price-lock.ts';
import { RuleSetSchema } from '../domain/rate-rules.ts';
import { QuoteCalculated } from '../events/contracts.ts';
import type { Prisma, Quote } from '../generated/prisma/client.ts';
import type { BillingMetrics } from './metrics.ts';
import { versionInForce } from './rate-cards.ts';

type Tx = Prisma.TransactionClient;
export type CardVersion = { id: string; currency: string; rules: Prisma.JsonValue };

/** Counts and times every pricing (services/metrics.ts). */
export type PricingMetrics = Pick<BillingMetrics, 'priced' | 'pricingFailed'>;

/** Rules are validated when saved; parsing again on read keeps a hand-edited row from pricing silently. */
export const cardOf = (version: CardVersion) => ({ currency: version.currency, rules: RuleSetSchema.parse(version.rules) });

export const quoteColumns = (quote: PricedQuote, now: Date) => ({
  currency: quote.currency,
  total: quote.total,
  lines: quote.lines.map((l) => ({ ...l })),
  distanceKm: quote.distanceKm,
  distanceSource: quote.distanceSource,
  chargeableWeightKg: quote.chargeableWeightKg,
  pricedAt: now,
});

/**
 * What serving the order costs: its share of the planned route priced by the card. The columns to
 * write on the quote; all null when the order is on no route.
 */
export function costColumns(version: CardVersion, facts: StoredOrderFacts, plannedKm: string | null, now: Date, metrics: PricingMetrics) {
  if (plannedKm === null) return { costDistanceKm: null, costToServe: null, costedAt: null };
  const cost = metrics.priced(() => priceQuote(cardOf(version), facts, { km: plannedKm, source: 'PLANNED' }));
  return { costDistanceKm: plannedKm, costToServe: cost.total, costedAt: now };
}

/** A new version of a stored quote, with the reason it was re-priced; announced as quote.calculated. */
export async function repriceQuote(
  tx: Tx,
  stored: Quote,
  change: { version: CardVersion; distance: { km: string; source: DistanceSource }; reason: QuoteReason; lockedUntil: Date | null },
  now: Date,
  metrics: PricingMetrics,
  traceparent?: string,
): Promise<Quote> {
  const facts = stored.facts as unknown as StoredOrderFacts;
  const quote = metrics.priced(() => priceQuote(cardOf(change.version), facts, change.distance));
  const costKm = stored.costDistanceKm?.toFixed(3) ?? null;
  const updated = await tx.quote.update({
    where: { orderId: stored.orderId },
    data: {
      ...quoteColumns(quote, now),
      rateCardVersionId: change.version.id,
      version: stored.version + 1,
      reason: change.reason,
      lockedUntil: change.lockedUntil,
      // The cost follows the card the order is now priced with.
      ...(change.version.id === stored.rateCardVersionId ? {} : costColumns(change.version, facts, costKm, now, metrics)),
    },
  });
  await announceQuote(prismaSql(tx), updated, quote, traceparent);
  return updated;
}

/**
 * The lock ended before the delivery: the order is priced by the default card in force at the
 * delivery (its own card when none is), on the distance it was quoted on, and the result is final.
 */
export async function repriceExpired(tx: Tx, stored: Quote, deliveredAt: Date, now: Date, metrics: PricingMetrics): Promise<Quote> {
  const version = (await versionInForce(tx, stored.orgId, deliveredAt)) ?? (await tx.rateCardVersion.findUniqueOrThrow({ where: { id: stored.rateCardVersionId } }));
  const distance = { km: stored.distanceKm.toFixed(3), source: stored.distanceSource };
  return repriceQuote(tx, stored, { version, distance, reason: 'LOCK_EXPIRED', lockedUntil: null }, now, metrics);
}

export async function announceQuote(sql: SqlExecutor, stored: Pick<Quote, 'orgId' | 'orderId' | 'customerId' | 'rateCardVersionId' | 'version' | 'reason'>, quote: PricedQuote, traceparent?: string) {
  const { orgId, orderId, customerId, rateCardVersionId, version, reason } = stored;
  const event = QuoteCalculated.create(
    { orderId, customerId, rateCardVersionId, currency: quote.currency, total: quote.total, distanceKm: quote.distanceKm, distanceSource: quote.distanceSource, lines: quote.lines, version, reason },
    { subject: orderId, orgId, traceparent },
  );
  // Raw, like the kernel's own outbox writes: one statement where a Prisma create costs about three times the CPU.
  await writeOutbox(sql, QuoteCalculated.topic, [event]);
}
