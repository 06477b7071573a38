import { toOutboxRow } from '../../kernel/events/outbox.ts';
import type { StoredOrderFacts } from '../domain/order-facts.ts';
import { priceQuote, type DistanceSource, type PricedQuote } from '../domain/price-quote.ts';
import { RuleSetSchema } from '../domain/rate-rules.ts';
import { QuoteCalculated } from '../events/contracts.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { invoiceDelivered, type Generated } from './drafting.ts';
import { lockOrder } from './invoice-rows.ts';
import type { BillingMetrics } from './metrics.ts';
import { ensureDefaultRateCard, versionInForce } from './rate-cards.ts';

type Tx = Prisma.TransactionClient;
type Version = { id: string; currency: string; rules: Prisma.JsonValue };

/** Rules are validated when saved; parsing again on read keeps a hand-edited row from pricing silently. */
const cardOf = (version: Version) => ({ currency: version.currency, rules: RuleSetSchema.parse(version.rules) });

/** Counts and times every pricing (services/metrics.ts). */
export type PricingMetrics = Pick<BillingMetrics, 'priced' | 'pricingFailed'>;

/**
 * Prices a new order with the default card in force when it was created (quoted: false when none
 * is). A delivery that arrived before the order's quote is invoiced now (generated: drafts opened).
 */
export async function quoteNewOrder(
  tx: Tx,
  orgId: string,
  orderId: string,
  facts: StoredOrderFacts,
  now: Date,
  metrics: PricingMetrics,
  traceparent?: string,
): Promise<{ quoted: boolean; generated: Generated }> {
  await lockOrder(tx, orderId);
  if (await tx.quote.findUnique({ where: { orderId } })) return { quoted: false, generated: 0 };
  await ensureDefaultRateCard(tx, orgId, now);
  const version = await versionInForce(tx, orgId, new Date(facts.createdAt));
  if (!version) {
    metrics.pricingFailed('no_rate_card');
    return { quoted: false, generated: 0 };
  }
  const planned = await tx.plannedDistance.findFirst({ where: { orderId, orgId } });
  const distance = planned ? { km: planned.distanceKm.toFixed(3), source: 'PLANNED' as const } : { km: facts.directKm, source: 'DIRECT' as const };
  const quote = metrics.priced(() => priceQuote(cardOf(version), facts, distance));
  await tx.quote.create({ data: { orderId, orgId, customerId: facts.customerId!, rateCardVersionId: version.id, facts: facts as unknown as Prisma.InputJsonValue, ...columns(quote, now) } });
  await announce(tx, orgId, orderId, facts.customerId!, version.id, quote, traceparent);
  return { quoted: true, generated: await invoiceDelivered(tx, orgId, orderId, now) };
}

/**
 * Re-prices a billable quote on another distance with the SAME rate card version it was first
 * priced with: a customer's price moves with the distance driven, never with a later rate change.
 * Returns whether the quote changed.
 */
export async function repriceQuote(
  tx: Tx,
  orgId: string,
  orderId: string,
  distance: { km: string; source: DistanceSource },
  now: Date,
  metrics: PricingMetrics,
  traceparent?: string,
): Promise<boolean> {
  const stored = await tx.quote.findFirst({ where: { orderId, orgId, billable: true } });
  if (!stored) return false;
  if (stored.distanceSource === distance.source && stored.distanceKm.toFixed(3) === distance.km) return false;
  const version = await tx.rateCardVersion.findUniqueOrThrow({ where: { id: stored.rateCardVersionId } });
  const facts = stored.facts as unknown as StoredOrderFacts;
  const quote = metrics.priced(() => priceQuote(cardOf(version), facts, distance));
  await tx.quote.update({ where: { orderId }, data: columns(quote, now) });
  await announce(tx, orgId, orderId, stored.customerId, version.id, quote, traceparent);
  return true;
}

const columns = (quote: PricedQuote, now: Date) => ({
  currency: quote.currency,
  total: quote.total,
  lines: quote.lines.map((l) => ({ ...l })),
  distanceKm: quote.distanceKm,
  distanceSource: quote.distanceSource,
  chargeableWeightKg: quote.chargeableWeightKg,
  pricedAt: now,
});

async function announce(tx: Tx, orgId: string, orderId: string, customerId: string, rateCardVersionId: string, quote: PricedQuote, traceparent?: string) {
  const event = QuoteCalculated.create(
    { orderId, customerId, rateCardVersionId, currency: quote.currency, total: quote.total, distanceKm: quote.distanceKm, distanceSource: quote.distanceSource, lines: quote.lines },
    { subject: orderId, orgId, traceparent },
  );
  await tx.outboxEvent.create({ data: toOutboxRow(QuoteCalculated.topic, event) });
}
