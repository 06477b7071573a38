/**
 * The invoice lifecycle: DRAFT -> ISSUED -> PAID, or VOID (from DRAFT or ISSUED). Issued
 * invoices never change again except by these transitions; amounts are corrected by credit notes,
 * which are issued at once, may be PAID (refunded), and are never voided (a credit note corrects,
 * a second credit note would correct it back).
 */
export type InvoiceStatus = 'DRAFT' | 'ISSUED' | 'PAID' | 'VOID';
export type InvoiceKind = 'INVOICE' | 'CREDIT_NOTE';
export type InvoiceAction = 'issue' | 'pay' | 'void' | 'credit' | 'edit';

/** Why the action is not allowed now, or null when it is. */
export function refusal(action: InvoiceAction, invoice: { status: InvoiceStatus; kind: InvoiceKind }): string | null {
  const { status, kind } = invoice;
  const what = kind === 'CREDIT_NOTE' ? 'credit note' : 'invoice';
  switch (action) {
    case 'issue':
    case 'edit':
      return status === 'DRAFT' ? null : `The ${what} is ${status}: only a DRAFT can be ${action === 'issue' ? 'issued' : 'changed'}.`;
    case 'pay':
      return status === 'ISSUED' ? null : `The ${what} is ${status}: only an ISSUED ${what} can be marked paid.`;
    case 'void':
      if (kind === 'CREDIT_NOTE') return 'A credit note cannot be voided; issue an invoice to reverse it.';
      return status === 'DRAFT' || status === 'ISSUED' ? null : `The invoice is ${status}: only a DRAFT or ISSUED invoice can be voided${status === 'PAID' ? '; credit it instead' : ''}.`;
    case 'credit':
      if (kind === 'CREDIT_NOTE') return 'A credit note cannot be credited.';
      return status === 'ISSUED' || status === 'PAID' ? null : `The invoice is ${status}: only an ISSUED or PAID invoice can be credited.`;
  }
}
