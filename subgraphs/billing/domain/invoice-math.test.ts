import { describe, expect, it } from 'vitest';
import { invoiceTotals, lineAmounts, negateQuantity } from './invoice-math.ts';

describe('invoice arithmetic', () => {
  it('given a line, then net = quantity x unit price and VAT = net x rate, each rounded once, half away from zero', () => {
    expect(lineAmounts({ quantity: '1', unitPrice: '16.65', vatRate: '19' }, 'EUR')).toEqual({ amount: '16.65', taxAmount: '3.16' }); // 3.1635
    expect(lineAmounts({ quantity: '3', unitPrice: '0.35', vatRate: '7.5' }, 'BDT')).toEqual({ amount: '1.05', taxAmount: '0.08' }); // 0.07875
    expect(lineAmounts({ quantity: '0.5', unitPrice: '0.05', vatRate: '0' }, 'EUR')).toEqual({ amount: '0.03', taxAmount: '0.00' }); // 0.025 -> 0.03
    expect(lineAmounts({ quantity: '2.5', unitPrice: '10.00', vatRate: '5' }, 'EUR')).toEqual({ amount: '25.00', taxAmount: '1.25' });
    expect(lineAmounts({ quantity: '1', unitPrice: '1000', vatRate: '10' }, 'JPY')).toEqual({ amount: '1000', taxAmount: '100' });
  });

  it('given exactly half a cent of VAT, then it rounds away from zero, on credit notes too', () => {
    // 0.50 x 1 % = 0.005
    expect(lineAmounts({ quantity: '1', unitPrice: '0.50', vatRate: '1' }, 'EUR').taxAmount).toBe('0.01');
    expect(lineAmounts({ quantity: '-1', unitPrice: '0.50', vatRate: '1' }, 'EUR')).toEqual({ amount: '-0.50', taxAmount: '-0.01' });
  });

  it('given lines, then the totals are the sums of the rounded lines, so they add up on paper', () => {
    const lines = [
      lineAmounts({ quantity: '1', unitPrice: '0.05', vatRate: '19' }, 'EUR'), // 0.0095 -> 0.01
      lineAmounts({ quantity: '1', unitPrice: '0.05', vatRate: '19' }, 'EUR'),
      lineAmounts({ quantity: '1', unitPrice: '0.05', vatRate: '19' }, 'EUR'),
    ];
    // Per invoice it would be 0.15 x 19 % = 0.0285 -> 0.03; per line it is 3 x 0.01.
    expect(invoiceTotals(lines, 'EUR')).toEqual({ subtotal: '0.15', tax: '0.03', total: '0.18' });
    expect(invoiceTotals([], 'EUR')).toEqual({ subtotal: '0.00', tax: '0.00', total: '0.00' });
  });

  it('given a credit note line, then its quantity is the negative', () => {
    expect(negateQuantity('1.000')).toBe('-1.000');
    expect(negateQuantity('-2')).toBe('2');
  });
});
