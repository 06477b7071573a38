import { describe, expect, it } from 'vitest';
import { VAT_RATE_SETS, VatRateListSchema, vatRateList } from './vat.ts';

const issues = (value: unknown) => {
  const r = VatRateListSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('VAT rate sets', () => {
  it('ships the EU (Germany) and Bangladesh sets, which are themselves valid', () => {
    expect(VAT_RATE_SETS.map((s) => [s.code, s.rates])).toEqual([
      ['EU_DE', { STANDARD: '19', REDUCED: '7', ZERO: '0', EXEMPT: '0' }],
      ['BD', { STANDARD: '15', REDUCED: '7.5', SUPER_REDUCED: '5', ZERO: '0' }],
    ]);
    for (const set of VAT_RATE_SETS) expect(issues(vatRateList(set.rates))).toEqual([]);
  });

  it('given rates out of range or malformed, then the rate at fault is named', () => {
    expect(issues([{ category: 'STANDARD', ratePercent: '100' }])).toEqual(['0.ratePercent: must be below 100 (out of range)']);
    expect(issues([{ category: 'STANDARD', ratePercent: '-1' }])).toEqual(['0.ratePercent: must be a non-negative percentage, e.g. "19" or "7.5"']);
    expect(issues([{ category: 'STANDARD', ratePercent: '7.125' }])).toEqual(['0.ratePercent: must have at most 2 decimal places']);
    expect(issues([{ category: 'STANDARD', ratePercent: '20' }, { category: 'ZERO', ratePercent: '1' }])).toEqual(['1.ratePercent: ZERO must be 0']);
    expect(issues([{ category: 'STANDARD', ratePercent: '20' }, { category: 'STANDARD', ratePercent: '10' }])).toEqual(['1.category: STANDARD appears more than once']);
    expect(issues([])).toEqual([': a VAT rate set needs at least one category']);
  });

  it('given numbers, then they are read as their decimal text', () => {
    expect(VatRateListSchema.parse([{ category: 'STANDARD', ratePercent: 21 }, { category: 'REDUCED', ratePercent: 5.5 }])).toEqual({ STANDARD: '21', REDUCED: '5.5' });
  });
});
