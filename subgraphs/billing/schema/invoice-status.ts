import { builder } from '../builder.ts';

export const InvoiceStatusType = builder.enumType('InvoiceStatus', {
  description: 'DRAFT -> ISSUED -> PAID, or VOID (from DRAFT or ISSUED).',
  values: {
    DRAFT: { description: 'Collecting lines; no number yet; only finance sees it.' },
    ISSUED: { description: 'Numbered and immutable; corrected only by credit notes.' },
    PAID: { description: 'Paid in full (a credit note: refunded).' },
    VOID: { description: 'Cancelled; an issued one keeps its number.' },
  } as const,
});

export const InvoiceKindType = builder.enumType('InvoiceKind', {
  values: {
    INVOICE: {},
    CREDIT_NOTE: { description: 'Corrects an issued invoice: its own series, negative amounts.' },
  } as const,
});
