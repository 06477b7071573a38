/** Reading and writing invoice rows: locks, totals, the events' facts. Shared by the drafting and the commands. */
import { notFound } from '../../platform/errors.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql, type SqlExecutor } from '../../platform/events/sql.ts';
import { invoiceTotals } from '../domain/invoice-math.ts';
import { minorDigits } from '../domain/money.ts';
import { InvoiceIssued, InvoicePaid, InvoiceVoided } from '../events/contracts.ts';
import type { Invoice, InvoiceLine, Prisma } from '../generated/prisma/client.ts';

export type Tx = Prisma.TransactionClient;

/**
 * Locks the invoice row for the rest of the transaction (concurrent issuers, payers and the
 * consumer adding lines wait for each other) and reads it; another tenant's id is NOT_FOUND.
 */
export async function lockInvoice(tx: Tx, orgId: string, id: string, field: ReadonlyArray<string> = ['id']): Promise<Invoice> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Invoice" WHERE "id" = ${id}::uuid AND "orgId" = ${orgId}::uuid FOR UPDATE`;
  if (!locked.length) throw notFound('Invoice', field);
  return tx.invoice.findUniqueOrThrow({ where: { id } });
}

/**
 * Serialises everything billing does to one order's billing facts (its first quote, its delivery,
 * its cancellation) until the transaction ends. Without it, on PostgreSQL, a delivery and the
 * order's first quote committing at the same time could each miss the other, and the order would
 * never be invoiced; PGlite runs one transaction at a time anyway.
 */
export async function lockOrder(sql: SqlExecutor, orderId: string): Promise<void> {
  await sql.query('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))', [orderId]);
}

export const money = (value: Prisma.Decimal, currency: string) => value.toFixed(minorDigits(currency));

/** Recomputes subtotal, tax and total from the lines (each already rounded), under the caller's lock. */
export async function refreshTotals(tx: Tx, invoice: Pick<Invoice, 'id' | 'currency'>): Promise<Invoice> {
  const lines = await tx.invoiceLine.findMany({ where: { invoiceId: invoice.id } });
  const totals = invoiceTotals(
    lines.map((l) => ({ amount: money(l.amount, invoice.currency), taxAmount: money(l.taxAmount, invoice.currency) })),
    invoice.currency,
  );
  return tx.invoice.update({ where: { id: invoice.id }, data: totals });
}

export async function nextPosition(tx: Tx, invoiceId: string): Promise<number> {
  const last = await tx.invoiceLine.findFirst({ where: { invoiceId }, orderBy: { position: 'desc' }, select: { position: true } });
  return (last?.position ?? 0) + 1;
}

const facts = (invoice: Invoice) => ({
  invoiceId: invoice.id,
  number: invoice.number ?? '',
  kind: invoice.kind,
  customerId: invoice.customerId,
  currency: invoice.currency,
  subtotal: money(invoice.subtotal, invoice.currency),
  tax: money(invoice.tax, invoice.currency),
  total: money(invoice.total, invoice.currency),
});

const meta = (invoice: Invoice, traceparent?: string) => ({ subject: invoice.id, orgId: invoice.orgId, traceparent });

export async function announceIssued(tx: Tx, invoice: Invoice, lines: ReadonlyArray<Pick<InvoiceLine, 'orderId'>>, traceparent?: string) {
  const orderIds = [...new Set(lines.map((l) => l.orderId).filter((id): id is string => !!id))];
  const event = InvoiceIssued.create(
    { ...facts(invoice), orderIds, creditsInvoiceId: invoice.creditsInvoiceId, issuedAt: invoice.issuedAt!.toISOString() },
    meta(invoice, traceparent),
  );
  await writeOutbox(prismaSql(tx), InvoiceIssued.topic, [event]);
}

export async function announcePaid(tx: Tx, invoice: Invoice, traceparent?: string) {
  const event = InvoicePaid.create({ ...facts(invoice), paidAt: invoice.paidAt!.toISOString() }, meta(invoice, traceparent));
  await writeOutbox(prismaSql(tx), InvoicePaid.topic, [event]);
}

export async function announceVoided(tx: Tx, invoice: Invoice, traceparent?: string) {
  const event = InvoiceVoided.create({ ...facts(invoice), reason: invoice.voidReason ?? '', voidedAt: invoice.voidedAt!.toISOString() }, meta(invoice, traceparent));
  await writeOutbox(prismaSql(tx), InvoiceVoided.topic, [event]);
}
