/** The invoice mutations' inputs, validated at the edge (kernel parseInput names the field). */
import { z } from 'zod';
import { fractionDigits, parseDecimal } from './money.ts';
import { QUANTITY_SCALE } from './invoice-math.ts';
import { VAT_CATEGORIES } from './vat.ts';

const id = z.uuid('must be an id');
const reason = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

export const VoidInvoiceSchema = z.object({
  invoiceId: id,
  reason,
  /** Put the orders on new drafts (default), or write them off. */
  redraft: z.boolean().nullish().transform((v) => v ?? true),
});

export const MarkPaidSchema = (now: Date) =>
  z.object({
    invoiceId: id,
    paidAt: z
      .date()
      .nullish()
      .refine((d) => !d || d.getTime() <= now.getTime(), 'must not be in the future')
      .transform((d) => d ?? now),
  });

export const CreditNoteSchema = z.object({
  invoiceId: id,
  reason,
  /** The lines to credit in full; all of them when absent. */
  lineIds: z.array(id).min(1, 'give at least one line, or none to credit the whole invoice').nullish(),
  /** Put the credited orders on new drafts, to be invoiced again corrected (default: no). */
  redraft: z.boolean().nullish().transform((v) => v ?? false),
});

const positive = (what: string, scale: number) =>
  z
    .preprocess((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v), z.string({ error: `must be ${what}` }).regex(/^\d{1,9}(\.\d+)?$/, `must be ${what} (a non-negative decimal)`))
    .refine((s) => fractionDigits(s) <= scale, `must have at most ${scale} decimal places`);

/** An extra line on a DRAFT (waiting time, insurance): its own VAT category. The unit price's digits are checked against the invoice's currency. */
export const AddLineSchema = z.object({
  invoiceId: id,
  description: z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters'),
  quantity: positive('a quantity', QUANTITY_SCALE).refine((s) => fractionDigits(s) > QUANTITY_SCALE || parseDecimal(s, QUANTITY_SCALE) > 0n, 'must be more than 0'),
  unitPrice: positive('an amount', 6),
  vatCategory: z.enum(VAT_CATEGORIES),
});

export const SetTaxIdSchema = z.object({
  customerId: id,
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 two-letter country code'),
  value: z.string().max(40, 'must be at most 40 characters'),
});

export type AddLine = z.output<typeof AddLineSchema>;
export type CreditNoteInput = z.output<typeof CreditNoteSchema>;

/** invoices' filter: any combination; the issue-date range is half-open [issuedFrom, issuedTo). */
export const InvoiceFilterSchema = z
  .object({
    status: z.enum(['DRAFT', 'ISSUED', 'PAID', 'VOID']).nullish(),
    kind: z.enum(['INVOICE', 'CREDIT_NOTE']).nullish(),
    customerId: id.nullish(),
    number: z.string().max(80).nullish(),
    issuedFrom: z.date().nullish(),
    issuedTo: z.date().nullish(),
  })
  .refine((f) => !f.issuedFrom || !f.issuedTo || f.issuedTo > f.issuedFrom, { path: ['issuedTo'], message: 'must be after issuedFrom' });

export type InvoiceFilter = z.output<typeof InvoiceFilterSchema>;
