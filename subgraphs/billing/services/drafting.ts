/**
 * From delivered orders to DRAFT invoice lines. A delivery is recorded once per order
 * (DeliveredOrder's key), so a second stop.completed for the same order changes nothing, and is
 * put on a draft only when its quote exists and is billable: a cancelled order is never invoiced.
 */
import { prismaSql } from '../../platform/events/sql.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { periodOf } from '../domain/billing-settings.ts';
import { lineAmounts } from '../domain/invoice-math.ts';
import { priceAtDelivery } from '../domain/price-lock.ts';
import type { VatCategory, VatRates } from '../domain/vat.ts';
import type { BillingSettings, Invoice, Prisma, Quote } from '../generated/prisma/client.ts';
import { lockInvoice, lockOrder, money, nextPosition, refreshTotals, type Tx } from './invoice-rows.ts';
import { repriceExpired, type PricingMetrics } from './quote-versions.ts';
import { settingsOf } from './settings.ts';

/** How many invoices (drafts) a step created, for the metrics once it commits. */
export type Generated = number;

/** Records that an order was delivered; invoices it when it can. Idempotent per order. */
export async function recordDelivery(tx: Tx, orgId: string, orderId: string, deliveredAt: Date, now: Date, metrics: PricingMetrics): Promise<Generated> {
  await lockOrder(prismaSql(tx), orderId);
  const existing = await tx.deliveredOrder.findUnique({ where: { orderId } });
  if (existing) return 0; // delivered once, invoiced once (whatever the tenant: a foreign id is not ours to touch)
  await tx.deliveredOrder.create({ data: { orderId, orgId, deliveredAt } });
  return invoiceDelivered(tx, orgId, orderId, now, metrics);
}

/**
 * Puts a delivered, not yet invoiced order on a DRAFT, at its locked quote; a quote whose lock
 * ended before the delivery is re-priced first (domain/price-lock.ts). Without a quote yet (its
 * OrderCreated is still on the way) it waits: pricing the order calls this again. A non-billable
 * (cancelled) order is written off instead.
 */
export async function invoiceDelivered(tx: Tx, orgId: string, orderId: string, now: Date, metrics: PricingMetrics): Promise<Generated> {
  const delivery = await tx.deliveredOrder.findUnique({ where: { orderId } });
  if (!delivery || delivery.orgId !== orgId || delivery.invoiceId || delivery.writtenOffAt) return 0;
  const stored = await tx.quote.findFirst({ where: { orderId, orgId } });
  if (!stored) return 0;
  if (!stored.billable) {
    await tx.deliveredOrder.update({ where: { orderId }, data: { writtenOffAt: now } });
    return 0;
  }
  const quote = priceAtDelivery(stored.lockedUntil, delivery.deliveredAt) === 'LOCK_EXPIRED' ? await repriceExpired(tx, stored, delivery.deliveredAt, now, metrics) : stored;
  const settings = await settingsOf(tx, orgId, now);
  const { invoice, created } = await openDraft(tx, settings, quote, delivery.deliveredAt, now);
  await addDeliveryLine(tx, invoice, quote, settings, delivery.deliveredAt);
  await tx.deliveredOrder.update({ where: { orderId }, data: { invoiceId: invoice.id } });
  return created ? 1 : 0;
}

/**
 * The draft a delivery goes on: a new one per order, or the customer's open draft for the
 * currency and period (created when there is none). draftKey is unique while a draft is open:
 * two deliveries racing to open the same draft make one of them fail and be retried, which then
 * finds the draft. Issuing or voiding clears the key under the same row lock we take here.
 */
async function openDraft(tx: Tx, settings: BillingSettings, quote: Quote, deliveredAt: Date, now: Date): Promise<{ invoice: Invoice; created: boolean }> {
  const base = { orgId: settings.orgId, customerId: quote.customerId, currency: quote.currency, subtotal: '0', tax: '0', total: '0', createdAt: now };
  if (settings.invoicingMode === 'PER_ORDER') {
    return { invoice: await tx.invoice.create({ data: { id: uuidv7(now.getTime()), ...base } }), created: true };
  }
  const period = periodOf(deliveredAt, settings.consolidationPeriod);
  const draftKey = `${settings.orgId}/${quote.customerId}/${quote.currency}/${settings.consolidationPeriod}/${period.start.toISOString()}`;
  const open = await tx.invoice.findUnique({ where: { draftKey } });
  if (open) {
    const locked = await lockInvoice(tx, settings.orgId, open.id);
    // Issued or voided between our read and our lock: fail, so the retry opens a new draft.
    if (locked.draftKey !== draftKey) throw new Error(`draft ${open.id} closed while a delivery was being added; retrying`);
    return { invoice: locked, created: false };
  }
  const invoice = await tx.invoice.create({ data: { id: uuidv7(now.getTime()), ...base, draftKey, periodStart: period.start, periodEnd: period.end } });
  return { invoice, created: true };
}

async function addDeliveryLine(tx: Tx, invoice: Invoice, quote: Quote, settings: BillingSettings, deliveredAt: Date) {
  const category = settings.defaultVatCategory as VatCategory;
  const vatRate = (settings.vatRates as VatRates)[category] ?? '0';
  const unitPrice = money(quote.total, quote.currency);
  const line = { quantity: '1', unitPrice, vatRate };
  const km = quote.distanceKm.toFixed(3);
  await tx.invoiceLine.create({
    data: {
      id: uuidv7(),
      invoiceId: invoice.id,
      orgId: invoice.orgId,
      position: await nextPosition(tx, invoice.id),
      orderId: quote.orderId,
      description: `Delivery of order ${quote.orderId} on ${deliveredAt.toISOString().slice(0, 10)}: ${km} km (${quote.distanceSource.toLowerCase()}), ${quote.chargeableWeightKg.toFixed(3)} kg`,
      ...line,
      vatCategory: category,
      ...lineAmounts(line, invoice.currency),
      // The quote as it was priced, so the invoice explains itself even after the card changes.
      pricing: { rateCardVersionId: quote.rateCardVersionId, distanceKm: km, distanceSource: quote.distanceSource, breakdown: quote.lines } as Prisma.InputJsonValue,
    },
  });
  await refreshTotals(tx, invoice);
}

/**
 * A cancellation that reaches billing after the delivery (orders forbids it, but events of two
 * topics have no common order): the order leaves its DRAFT and is written off. On an issued invoice it
 * stays; finance corrects that with a credit note.
 */
export async function withdrawCancelled(tx: Tx, orgId: string, orderId: string, now: Date, logger: Logger): Promise<void> {
  await lockOrder(prismaSql(tx), orderId);
  const delivery = await tx.deliveredOrder.findUnique({ where: { orderId } });
  if (!delivery || delivery.orgId !== orgId) return;
  if (delivery.invoiceId) {
    const invoice = await lockInvoice(tx, orgId, delivery.invoiceId);
    if (invoice.status !== 'DRAFT') {
      logger.warn('cancelled order is on an issued invoice; credit it', { orderId, invoiceId: invoice.id, status: invoice.status });
      return;
    }
    await tx.invoiceLine.deleteMany({ where: { invoiceId: invoice.id, orderId } });
    // A draft left empty was never anything: it goes, rather than waiting to be voided.
    if ((await tx.invoiceLine.count({ where: { invoiceId: invoice.id } })) === 0) await tx.invoice.delete({ where: { id: invoice.id } });
    else await refreshTotals(tx, invoice);
  }
  await tx.deliveredOrder.update({ where: { orderId }, data: { invoiceId: null, writtenOffAt: now } });
}
