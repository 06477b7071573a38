import { describe, expect, it } from 'vitest';
import { createBillingMetrics } from './metrics.ts';

const failures = (text: string, kind: string) =>
  Number(new RegExp(`^voidtracker_billing_invoice_numbering_failures_total\\{kind="${kind}",subgraph="billing"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe('invoice numbering failures metric', () => {
  it('serves both kinds at 0 before anything fails, so the first failure is an increase', async () => {
    const text = await createBillingMetrics().text();
    expect(failures(text, 'INVOICE')).toBe(0);
    expect(failures(text, 'CREDIT_NOTE')).toBe(0);
  });

  it('given an allocation that throws, then it counts it under its kind and rethrows; a success counts nothing', async () => {
    const metrics = createBillingMetrics();
    await expect(metrics.numbering('INVOICE', async () => 7)).resolves.toBe(7);
    const cause = new Error('integer out of range');
    await expect(metrics.numbering('CREDIT_NOTE', () => Promise.reject(cause))).rejects.toBe(cause);
    const text = await metrics.text();
    expect(failures(text, 'CREDIT_NOTE')).toBe(1);
    expect(failures(text, 'INVOICE')).toBe(0);
  });
});
