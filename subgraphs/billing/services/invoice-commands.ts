/**
 * What FINANCE does to invoices. Each command locks the invoice row, checks the lifecycle
 * (domain/invoice-lifecycle.ts: CONFLICT when the state forbids it), changes it and writes its
 * event to the outbox, all in one transaction.
 */
import type { Principal } from '../../kernel/auth/principal.ts';
import { badInput, conflict, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { AddLine, CreditNoteInput } from '../domain/invoice-input.ts';
import { refusal } from '../domain/invoice-lifecycle.ts';
import { lineAmounts, negateQuantity } from '../domain/invoice-math.ts';
import { fractionDigits, minorDigits } from '../domain/money.ts';
import type { VatRates } from '../domain/vat.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import { Prisma, type Invoice } from '../generated/prisma/client.ts';
import { invoiceDelivered } from './drafting.ts';
import type { PricingMetrics } from './quote-versions.ts';
import { announceIssued, announcePaid, announceVoided, lockInvoice, money, nextPosition, refreshTotals, type Tx } from './invoice-rows.ts';
import type { BillingMetrics } from './metrics.ts';
import { allocateNumber } from './numbering.ts';
import { settingsOf } from './settings.ts';

export interface CommandDeps {
  /** State and outbox rows in one transaction, then the relay woken (kernel unit of work). */
  commit: UnitOfWork<Tx>;
  metrics: BillingMetrics;
}

/** Concurrent issuers queue on the counter row; give them room beyond Prisma's 2 s / 5 s defaults. */
const TX = { maxWait: 10_000, timeout: 20_000 } as const;

const refuse = (message: string | null) => {
  if (message) throw conflict(message, ['invoiceId']);
};

async function customerTaxIds(tx: Tx, orgId: string, customerId: string) {
  const ids = await tx.customerTaxId.findMany({ where: { orgId, customerId }, orderBy: { scheme: 'asc' } });
  return ids.map((t) => ({ country: t.country, scheme: t.scheme, value: t.value }));
}

export async function issueInvoice(deps: CommandDeps, principal: Principal, invoiceId: string, now: Date, traceparent?: string): Promise<Invoice> {
  const issued = await deps.commit(async (tx) => {
    const invoice = await lockInvoice(tx, principal.orgId, invoiceId, ['invoiceId']);
    refuse(refusal('issue', invoice));
    const lines = await tx.invoiceLine.findMany({ where: { invoiceId }, select: { orderId: true } });
    if (!lines.length) throw conflict('The invoice has no lines; there is nothing to issue.', ['invoiceId']);
    const settings = await settingsOf(tx, principal.orgId, now);
    const number = await deps.metrics.numbering('INVOICE', () => allocateNumber(tx, principal.orgId, settings, settings.invoiceSeries, now));
    const updated = await tx.invoice.update({
      where: { id: invoiceId },
      data: { status: 'ISSUED', draftKey: null, ...number, issuedAt: now, customerTaxIds: await customerTaxIds(tx, principal.orgId, invoice.customerId) },
    });
    await announceIssued(tx, updated, lines, traceparent);
    return updated;
  }, TX);
  deps.metrics.invoiceIssued('INVOICE');
  return issued;
}

export async function markInvoicePaid(deps: CommandDeps, principal: Principal, input: { invoiceId: string; paidAt: Date }, traceparent?: string): Promise<Invoice> {
  const paid = await deps.commit(async (tx) => {
    const invoice = await lockInvoice(tx, principal.orgId, input.invoiceId, ['invoiceId']);
    refuse(refusal('pay', invoice));
    if (input.paidAt < invoice.issuedAt!) throw badInput('paidAt: must not be before the invoice was issued', ['paidAt']);
    const updated = await tx.invoice.update({ where: { id: invoice.id }, data: { status: 'PAID', paidAt: input.paidAt } });
    await announcePaid(tx, updated, traceparent);
    return updated;
  }, TX);
  return paid;
}

/**
 * Voids an invoice. A voided DRAFT was never anything outside billing, so nothing is announced;
 * a voided ISSUED invoice keeps its number (gapless) and is announced. Its orders go on new drafts
 * (`redraft`) or are written off.
 */
export async function voidInvoice(deps: CommandDeps, principal: Principal, input: { invoiceId: string; reason: string; redraft: boolean }, now: Date, traceparent?: string): Promise<Invoice> {
  let generated = 0;
  const voided = await deps.commit(async (tx) => {
    const invoice = await lockInvoice(tx, principal.orgId, input.invoiceId, ['invoiceId']);
    refuse(refusal('void', invoice));
    const updated = await tx.invoice.update({ where: { id: invoice.id }, data: { status: 'VOID', draftKey: null, voidedAt: now, voidReason: input.reason } });
    if (invoice.status === 'ISSUED') await announceVoided(tx, updated, traceparent);
    generated = await releaseOrders(tx, principal.orgId, invoice.id, null, input.redraft, now, deps.metrics);
    return updated;
  }, TX);
  deps.metrics.invoiceGenerated('INVOICE', generated);
  return voided;
}

/** The orders an invoice carried (all, or those of some lines) are free again: on new drafts, or written off. */
async function releaseOrders(tx: Tx, orgId: string, invoiceId: string, orderIds: string[] | null, redraft: boolean, now: Date, metrics: PricingMetrics): Promise<number> {
  const where = { orgId, invoiceId, ...(orderIds ? { orderId: { in: orderIds } } : {}) };
  const released = await tx.deliveredOrder.findMany({ where, select: { orderId: true } });
  await tx.deliveredOrder.updateMany({ where, data: redraft ? { invoiceId: null } : { invoiceId: null, writtenOffAt: now } });
  let generated = 0;
  if (redraft) for (const { orderId } of released) generated += await invoiceDelivered(tx, orgId, orderId, now, metrics);
  return generated;
}

/**
 * Issues a credit note for whole lines of an ISSUED or PAID invoice (all of them by default): its
 * own series and number, the same unit prices and rates with negative quantities, so every amount
 * is the exact negative. A line is credited at most once.
 */
export async function issueCreditNote(deps: CommandDeps, principal: Principal, input: CreditNoteInput, now: Date, traceparent?: string): Promise<Invoice> {
  let generated = 0;
  const note = await deps.commit(async (tx) => {
    const invoice = await lockInvoice(tx, principal.orgId, input.invoiceId, ['invoiceId']);
    refuse(refusal('credit', invoice));
    const all = await tx.invoiceLine.findMany({ where: { invoiceId: invoice.id }, orderBy: { position: 'asc' } });
    const chosen = input.lineIds ? input.lineIds.map((id, i) => all.find((l) => l.id === id) ?? badLine(i)) : all;
    const credited = await tx.invoiceLine.findMany({
      where: { creditsLineId: { in: chosen.map((l) => l.id) }, invoice: { status: { not: 'VOID' } } },
      select: { creditsLineId: true },
    });
    const already = new Set(credited.map((c) => c.creditsLineId));
    const open = chosen.filter((l) => !already.has(l.id));
    if (!open.length) throw conflict('Every line asked for has already been credited.', input.lineIds ? ['lineIds'] : ['invoiceId']);
    if (input.lineIds && open.length < chosen.length) throw conflict(`Line ${chosen.find((l) => already.has(l.id))!.id} has already been credited.`, ['lineIds']);

    const settings = await settingsOf(tx, principal.orgId, now);
    const number = await deps.metrics.numbering('CREDIT_NOTE', () => allocateNumber(tx, principal.orgId, settings, settings.creditNoteSeries, now));
    const id = uuidv7(now.getTime());
    const created = await tx.invoice.create({
      data: {
        id,
        orgId: principal.orgId,
        customerId: invoice.customerId,
        kind: 'CREDIT_NOTE',
        status: 'ISSUED',
        currency: invoice.currency,
        subtotal: '0',
        tax: '0',
        total: '0',
        ...number,
        creditsInvoiceId: invoice.id,
        reason: input.reason,
        issuedAt: now,
        customerTaxIds: invoice.customerTaxIds ?? Prisma.DbNull,
        createdAt: now,
      },
    });
    for (const [i, l] of open.entries()) {
      const line = { quantity: negateQuantity(l.quantity.toFixed(3)), unitPrice: money(l.unitPrice, invoice.currency), vatRate: l.vatRate.toFixed(2) };
      await tx.invoiceLine.create({
        data: {
          id: uuidv7(),
          invoiceId: id,
          orgId: principal.orgId,
          position: i + 1,
          orderId: l.orderId,
          description: `Credit: ${l.description}`,
          ...line,
          vatCategory: l.vatCategory,
          ...lineAmounts(line, invoice.currency),
          pricing: l.pricing ?? Prisma.DbNull,
          creditsLineId: l.id,
        },
      });
    }
    const totalled = await refreshTotals(tx, created);
    await announceIssued(tx, totalled, open, traceparent);
    if (input.redraft) {
      const orderIds = open.map((l) => l.orderId).filter((o): o is string => !!o);
      generated = await releaseOrders(tx, principal.orgId, invoice.id, orderIds, true, now, deps.metrics);
    }
    return totalled;
  }, TX);
  deps.metrics.invoiceGenerated('CREDIT_NOTE');
  deps.metrics.invoiceGenerated('INVOICE', generated);
  deps.metrics.invoiceIssued('CREDIT_NOTE');
  return note;
}

const badLine = (i: number): never => {
  throw notFound('Invoice line', ['lineIds', String(i)]);
};

/** An extra line on a DRAFT with its own VAT category (the organization's rate for it). */
export async function addInvoiceLine(deps: CommandDeps, principal: Principal, input: AddLine, now: Date): Promise<Invoice> {
  return deps.commit(async (tx) => {
    const invoice = await lockInvoice(tx, principal.orgId, input.invoiceId, ['input', 'invoiceId']);
    const refused = refusal('edit', invoice);
    if (refused) throw conflict(refused, ['input', 'invoiceId']);
    const digits = minorDigits(invoice.currency);
    if (fractionDigits(input.unitPrice) > digits) throw badInput(`input.unitPrice: must have at most ${digits} decimal places in ${invoice.currency}`, ['input', 'unitPrice']);
    const settings = await settingsOf(tx, principal.orgId, now);
    const vatRate = (settings.vatRates as VatRates)[input.vatCategory];
    if (vatRate === undefined) throw badInput(`input.vatCategory: ${input.vatCategory} has no rate in your VAT rate set (${settings.vatSet})`, ['input', 'vatCategory']);
    const line = { quantity: input.quantity, unitPrice: input.unitPrice, vatRate };
    await tx.invoiceLine.create({
      data: {
        id: uuidv7(),
        invoiceId: invoice.id,
        orgId: principal.orgId,
        position: await nextPosition(tx, invoice.id),
        description: input.description,
        ...line,
        vatCategory: input.vatCategory,
        ...lineAmounts(line, invoice.currency),
      },
    });
    return refreshTotals(tx, invoice);
  }, TX);
}
