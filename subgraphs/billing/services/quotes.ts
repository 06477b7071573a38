import type { StoredOrderFacts } from '../domain/order-facts.ts';
import { priceQuote, type PricedQuote } from '../domain/price-quote.ts';
import { lockedUntil, planningReprices } from '../domain/price-lock.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { invoiceDelivered, type Generated } from './drafting.ts';
import { lockOrder } from './invoice-rows.ts';
import { readQuoteContext } from './quote-context.ts';
import { announceQuote, cardOf, costColumns, repriceQuote, type PricingMetrics } from './quote-versions.ts';
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
  const stored = { orderId, orgId, customerId: facts.customerId!, rateCardVersionId: version.id, version: 1, reason: 'CHECKOUT' as const };
  await insertCheckoutQuote(tx, stored, facts, quote, now, lockedUntil(createdAt, settings.quoteValidityDays), costColumns(version, facts, planned, now, metrics));
  await announceQuote(tx, stored, quote, traceparent);
  if (!context.delivered) return { quoted: true, generated: 0 };
  return { quoted: true, generated: await invoiceDelivered(tx, orgId, orderId, now, metrics) };
}

/**
 * The first version of an order's quote, in one raw statement: every order pays for this insert,
 * and the ORM's create cost about twice the CPU of the same SQL (docs/performance.md, round four).
 */
async function insertCheckoutQuote(
  tx: Tx,
  row: { orderId: string; orgId: string; customerId: string; rateCardVersionId: string },
  facts: StoredOrderFacts,
  quote: PricedQuote,
  now: Date,
  locked: Date | null,
  cost: ReturnType<typeof costColumns>,
): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "Quote" ("orderId", "orgId", "customerId", "rateCardVersionId", "currency", "total", "lines",
       "distanceKm", "distanceSource", "chargeableWeightKg", "facts", "pricedAt", "version", "reason", "lockedUntil",
       "costDistanceKm", "costToServe", "costedAt")
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::numeric, $7::jsonb, $8::numeric, $9::"DistanceSource",
       $10::numeric, $11::jsonb, $12::timestamptz, 1, 'CHECKOUT'::"QuoteReason", $13::timestamptz, $14::numeric, $15::numeric, $16::timestamptz)`,
    row.orderId, row.orgId, row.customerId, row.rateCardVersionId,
    quote.currency, quote.total, JSON.stringify(quote.lines), quote.distanceKm, quote.distanceSource, quote.chargeableWeightKg,
    JSON.stringify(facts), now, locked, cost.costDistanceKm, cost.costToServe, cost.costedAt,
  );
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
