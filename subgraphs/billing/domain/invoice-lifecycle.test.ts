import { describe, expect, it } from 'vitest';
import { refusal, type InvoiceAction, type InvoiceStatus } from './invoice-lifecycle.ts';

const allowed = (kind: 'INVOICE' | 'CREDIT_NOTE') => {
  const table: Record<string, InvoiceAction[]> = {};
  for (const status of ['DRAFT', 'ISSUED', 'PAID', 'VOID'] as InvoiceStatus[]) {
    table[status] = (['issue', 'edit', 'pay', 'void', 'credit'] as InvoiceAction[]).filter((a) => refusal(a, { status, kind }) === null);
  }
  return table;
};

describe('the invoice lifecycle', () => {
  it('given an invoice, then DRAFT -> ISSUED -> PAID, VOID from DRAFT or ISSUED, credit once issued', () => {
    expect(allowed('INVOICE')).toEqual({ DRAFT: ['issue', 'edit', 'void'], ISSUED: ['pay', 'void', 'credit'], PAID: ['credit'], VOID: [] });
  });

  it('given a credit note, then it can only be paid (refunded)', () => {
    expect(allowed('CREDIT_NOTE')).toEqual({ DRAFT: ['issue', 'edit'], ISSUED: ['pay'], PAID: [], VOID: [] });
  });

  it('says why a transition is refused', () => {
    expect(refusal('issue', { status: 'ISSUED', kind: 'INVOICE' })).toBe('The invoice is ISSUED: only a DRAFT can be issued.');
    expect(refusal('pay', { status: 'VOID', kind: 'INVOICE' })).toBe('The invoice is VOID: only an ISSUED invoice can be marked paid.');
    expect(refusal('void', { status: 'PAID', kind: 'INVOICE' })).toMatch(/credit it instead/);
  });
});
