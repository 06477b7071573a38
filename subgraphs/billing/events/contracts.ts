/** What billing publishes. */
import { z } from 'zod';
import { defineEvent, type EnvelopeOf } from '../../platform/events/contract.ts';
import { RULE_KINDS } from '../domain/rate-rules.ts';

const money = z.string().regex(/^-?\d+(\.\d+)?$/);

export const QuoteCalculated = defineEvent({
  type: 'voidtracker.billing.quote.calculated.v1',
  producer: 'billing',
  aggregate: 'Order',
  description:
    'An order was priced (when created: the checkout price, locked) or re-priced as a new version: on its planned route where the organization bills the planned distance, or at delivery after the lock ended.',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    rateCardVersionId: z.uuid(),
    currency: z.string().length(3),
    total: money,
    distanceKm: z.string(),
    distanceSource: z.enum(['DIRECT', 'PLANNED', 'GIVEN']),
    lines: z.array(z.object({ code: z.enum(RULE_KINDS), description: z.string(), amount: money })),
    /** 1 at checkout, +1 per re-price (absent from events written before versions existed). */
    version: z.number().int().positive().optional(),
    reason: z.enum(['CHECKOUT', 'PLANNED_DISTANCE', 'LOCK_EXPIRED']).optional(),
  }),
});

const invoiceFacts = {
  invoiceId: z.uuid(),
  /** The legal number, e.g. INV-2026-000042; credit notes have their own series. */
  number: z.string(),
  kind: z.enum(['INVOICE', 'CREDIT_NOTE']),
  customerId: z.uuid(),
  currency: z.string().length(3),
  /** Negative on a credit note. */
  subtotal: money,
  tax: money,
  total: money,
};

export const InvoiceIssued = defineEvent({
  type: 'voidtracker.billing.invoice.issued.v1',
  producer: 'billing',
  aggregate: 'Invoice',
  description: 'FINANCE issued an invoice or a credit note: it has its number and can no longer change.',
  schema: z.object({
    ...invoiceFacts,
    orderIds: z.array(z.uuid()),
    /** The invoice a credit note corrects; null on an invoice. */
    creditsInvoiceId: z.uuid().nullable(),
    issuedAt: z.iso.datetime({ offset: true }),
  }),
});

export const InvoicePaid = defineEvent({
  type: 'voidtracker.billing.invoice.paid.v1',
  producer: 'billing',
  aggregate: 'Invoice',
  description: 'An issued invoice was marked paid in full.',
  schema: z.object({ ...invoiceFacts, paidAt: z.iso.datetime({ offset: true }) }),
});

export const InvoiceVoided = defineEvent({
  type: 'voidtracker.billing.invoice.voided.v1',
  producer: 'billing',
  aggregate: 'Invoice',
  description: 'An invoice was voided; its number stays used, and its orders may be invoiced again.',
  schema: z.object({ ...invoiceFacts, reason: z.string(), voidedAt: z.iso.datetime({ offset: true }) }),
});

export const BILLING_EVENTS = [QuoteCalculated, InvoiceIssued, InvoicePaid, InvoiceVoided] as const;
export type BillingEvent = EnvelopeOf<(typeof BILLING_EVENTS)[number]>;
