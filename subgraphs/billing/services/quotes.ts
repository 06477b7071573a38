import type { SqlExecutor } from '../../platform/events/sql.ts';
import type { StoredOrderFacts } from '../domain/order-facts.ts';
import { priceQuote, type PricedQuote } from '../domain/price-quote.ts';
import { lockedUntil, planningReprices } from '../domain/price-lock.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Generated } from './drafting.ts';
import { lockOrder } from './invoice-rows.ts';
import { readQuoteContext } from './quote-context.ts';
import { announceQuote, cardOf, costColumns, repriceQuote, type PricingMetrics } from './quote-versions.ts';
import { ensureDefaultRateCard } from './rate-cards.ts';
import { ensureSettings, settingsOf } from './settings.ts';

type Tx = Prisma.TransactionClient;
export type { PricingMetrics } from './quote-versions.ts';

/** What pricing a new order came to; `needs-invoicing`: nothing was written (see quoteNewOrder). */
export type QuoteOutcome = { quoted: boolean; generated: Generated } | 'needs-invoicing';

/**
 * Prices a new order with the default card in force when it was created (quoted: false when none
 * is): the checkout price, locked for the organization's quoteValidityDays from the order's
 * creation. A route planned before billing saw the order gives its cost to serve (or its price,
 * where the organization bills on the planned distance). A delivery that arrived before the
 * order's quote is invoiced now by `invoice` (generated: drafts opened); without it (the consumer's
 * plain SQL path, which has no ORM for the drafting) the answer is `needs-invoicing`, before
 * anything is written. Every statement here is plain SQL: it is the consumer's hot path.
 */
export async function quoteNewOrder(
  sql: SqlExecutor,
  orgId: string,
  orderId: string,
  facts: StoredOrderFacts,
  now: Date,
  metrics: PricingMetrics,
  traceparent?: string,
  invoice?: () => Promise<Generated>,
): Promise<QuoteOutcome> {
  await lockOrder(sql, orderId);
  const createdAt = new Date(facts.createdAt);
  let context = await readQuoteContext(sql, orgId, orderId, createdAt);
  if (context.quoted) return { quoted: false, generated: 0 };
  if (context.delivered && !invoice) return 'needs-invoicing';
  // An organization's first order: its DEFAULT card (which may be the one in force) and its settings are made now.
  if (!context.hasDefaultCard || !context.settings) {
    if (!context.hasDefaultCard) await ensureDefaultRateCard(sql, orgId, now);
    if (!context.settings) await ensureSettings(sql, orgId, now);
    context = await readQuoteContext(sql, orgId, orderId, createdAt);
  }
  const { version, settings, plannedKm: planned } = context;
  if (!version || !settings) {
    metrics.pricingFailed('no_rate_card');
    return { quoted: false, generated: 0 };
  }
  const distance = planned && planningReprices(settings) ? { km: planned, source: 'PLANNED' as const } : { km: facts.directKm, source: 'DIRECT' as const };
  const quote = metrics.priced(() => priceQuote(cardOf(version), facts, distance));
  const stored = { orderId, orgId, customerId: facts.customerId!, rateCardVersionId: version.id, version: 1, reason: 'CHECKOUT' as const };
  await insertCheckoutQuote(sql, stored, facts, quote, now, lockedUntil(createdAt, settings.quoteValidityDays), costColumns(version, facts, planned, now, metrics));
  await announceQuote(sql, stored, quote, traceparent);
  if (!context.delivered || !invoice) return { quoted: true, generated: 0 };
  return { quoted: true, generated: await invoice() };
}

/**
 * The first version of an order's quote, in one raw statement: every order pays for this insert,
 * and the ORM's create cost about twice the CPU of the same SQL (docs/performance.md, round four).
 */
async function insertCheckoutQuote(
  sql: SqlExecutor,
  row: { orderId: string; orgId: string; customerId: string; rateCardVersionId: string },
  facts: StoredOrderFacts,
  quote: PricedQuote,
  now: Date,
  locked: Date | null,
  cost: ReturnType<typeof costColumns>,
): Promise<void> {
  await sql.query(
    `INSERT INTO "Quote" ("orderId", "orgId", "customerId", "rateCardVersionId", "currency", "total", "lines",
       "distanceKm", "distanceSource", "chargeableWeightKg", "facts", "pricedAt", "version", "reason", "lockedUntil",
       "costDistanceKm", "costToServe", "costedAt")
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::numeric, $7::jsonb, $8::numeric, $9::"DistanceSource",
       $10::numeric, $11::jsonb, $12::timestamptz, 1, 'CHECKOUT'::"QuoteReason", $13::timestamptz, $14::numeric, $15::numeric, $16::timestamptz)`,
    [
      row.orderId, row.orgId, row.customerId, row.rateCardVersionId,
      quote.currency, quote.total, JSON.stringify(quote.lines), quote.distanceKm, quote.distanceSource, quote.chargeableWeightKg,
      JSON.stringify(facts), now.toISOString(), locked?.toISOString() ?? null, cost.costDistanceKm, cost.costToServe, cost.costedAt?.toISOString() ?? null,
    ],
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
