import type { StoredOrderFacts } from '../domain/order-facts.ts';
import { priceQuote } from '../domain/price-quote.ts';
import { lockedUntil, planningReprices } from '../domain/price-lock.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { invoiceDelivered, type Generated } from './drafting.ts';
import { lockOrder } from './invoice-rows.ts';
import { readQuoteContext } from './quote-context.ts';
import { announceQuote, cardOf, costColumns, quoteColumns, repriceQuote, type PricingMetrics } from './quote-versions.ts';
import { ensureDefaultRateCard, versionInForce } from './rate-cards.ts';
import { settingsOf } from './settings.ts';

type Tx = Prisma.TransactionClient;
export type { PricingMetrics } from './quote-versions.ts';

/**
 * Prices a new order with the default card in force when it was created (quoted: false when none
 * is): the checkout price, locked for the organization's quoteValidityDays from the order's
 * creation. A route planned before billing saw the order gives its cost to serve (or its price,
 * where the organization bills on the planned distance). A delivery that arrived before the
 * order's quote is invoiced now (generated: drafts opened).
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
  const createdAt = new Date(facts.createdAt);
  const context = await readQuoteContext(tx, orgId, orderId, createdAt);
  if (context.quoted) return { quoted: false, generated: 0 };
  let version = context.version;
  // An organization's first order: its DEFAULT card is made now, and may be the one in force.
  if (!context.hasDefaultCard) {
    await ensureDefaultRateCard(tx, orgId, now);
    version = await versionInForce(tx, orgId, createdAt);
  }
  if (!version) {
    metrics.pricingFailed('no_rate_card');
    return { quoted: false, generated: 0 };
  }
  const settings = context.settings ?? (await settingsOf(tx, orgId, now));
  const planned = context.plannedKm;
  const distance = planned && planningReprices(settings) ? { km: planned, source: 'PLANNED' as const } : { km: facts.directKm, source: 'DIRECT' as const };
  const quote = metrics.priced(() => priceQuote(cardOf(version), facts, distance));
  const stored = await tx.quote.create({
    data: {
      orderId,
      orgId,
      customerId: facts.customerId!,
      rateCardVersionId: version.id,
      facts: facts as unknown as Prisma.InputJsonValue,
      ...quoteColumns(quote, now),
      reason: 'CHECKOUT',
      lockedUntil: lockedUntil(createdAt, settings.quoteValidityDays),
      ...costColumns(version, facts, planned, now, metrics),
    },
  });
  await announceQuote(tx, stored, quote, traceparent);
  if (!context.delivered) return { quoted: true, generated: 0 };
  return { quoted: true, generated: await invoiceDelivered(tx, orgId, orderId, now, metrics) };
}

/**
 * An order's share of a planned route (or null: taken off its route). Records the cost to serve
 * beside the quote; the price moves only where the organization bills on the planned distance,
 * with the SAME rate card version (a price never follows a later rate change here). Returns
 * whether a new quote version was announced.
 */
export async function applyPlannedShare(tx: Tx, orgId: string, orderId: string, plannedKm: string | null, now: Date, metrics: PricingMetrics, traceparent?: string): Promise<boolean> {
  const stored = await tx.quote.findFirst({ where: { orderId, orgId, billable: true } });
  if (!stored) return false;
  const version = await tx.rateCardVersion.findUniqueOrThrow({ where: { id: stored.rateCardVersionId } });
  const facts = stored.facts as unknown as StoredOrderFacts;
  await tx.quote.update({ where: { orderId }, data: costColumns(version, facts, plannedKm, now, metrics) });
  if (!planningReprices(await settingsOf(tx, orgId, now))) return false;
  const distance = plannedKm === null ? { km: facts.directKm, source: 'DIRECT' as const } : { km: plannedKm, source: 'PLANNED' as const };
  if (stored.distanceSource === distance.source && stored.distanceKm.toFixed(3) === distance.km) return false;
  await repriceQuote(tx, stored, { version, distance, reason: 'PLANNED_DISTANCE', lockedUntil: stored.lockedUntil }, now, metrics, traceparent);
  return true;
}
