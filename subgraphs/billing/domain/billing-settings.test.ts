import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, periodOf, settingsChangeSchema } from './billing-settings.ts';

const change = (input: Record<string, unknown>) => settingsChangeSchema(DEFAULT_SETTINGS).safeParse(input);
const problems = (input: Record<string, unknown>) => {
  const r = change(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('billing settings', () => {
  it('given a preset, then its rates replace the current ones; given explicit rates, then the set is CUSTOM', () => {
    expect(change({ vatSet: 'BD' }).data).toMatchObject({ vatSet: 'BD', vatRates: { STANDARD: '15', REDUCED: '7.5', SUPER_REDUCED: '5', ZERO: '0' } });
    expect(change({ vatRates: [{ category: 'STANDARD', ratePercent: '21' }] }).data).toMatchObject({ vatSet: 'CUSTOM', vatRates: { STANDARD: '21' } });
    expect(change({ fiscalYearStartMonth: 7 }).data).toEqual({ ...DEFAULT_SETTINGS, fiscalYearStartMonth: 7 });
  });

  it('given inconsistent settings, then the field at fault is named', () => {
    expect(problems({ vatSet: 'MARS' })).toEqual(['vatSet: unknown VAT rate set; expected one of EU_DE, BD']);
    expect(problems({ fiscalYearStartMonth: 13 })).toEqual(['fiscalYearStartMonth: must be 1-12']);
    expect(problems({ vatRates: [{ category: 'REDUCED', ratePercent: '7' }] })).toEqual(['defaultVatCategory: STANDARD has no rate in the VAT rate set']);
    expect(problems({ creditNoteSeries: 'INV' })).toEqual(['creditNoteSeries: must differ from invoiceSeries']);
    expect(problems({ invoiceSeries: 'inv' })[0]).toMatch(/^invoiceSeries: must be 1-10 upper-case/);
    expect(problems({ numberPattern: '{series}-{seq}' })[0]).toMatch(/^numberPattern: must contain \{fy\}/);
    expect(problems({ quoteValidityDays: 366 })).toEqual(['quoteValidityDays: must be 0-365']);
    expect(problems({ quoteValidityDays: 1.5 })).toEqual(['quoteValidityDays: must be whole days']);
  });

  it('given no change to pricing, then a checkout price holds 30 days and planning does not re-price; both can be changed', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ quoteValidityDays: 30, repriceOnPlanning: false });
    expect(change({ quoteValidityDays: 0, repriceOnPlanning: true }).data).toEqual({ ...DEFAULT_SETTINGS, quoteValidityDays: 0, repriceOnPlanning: true });
  });

  it('given a date, then its consolidation period is its UTC month or its ISO week (Monday first)', () => {
    expect(periodOf(new Date('2026-11-21T19:00:00Z'), 'MONTH')).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
    expect(periodOf(new Date('2026-12-31T23:00:00Z'), 'MONTH').end).toEqual(new Date('2027-01-01T00:00:00Z'));
    // 2026-11-21 is a Saturday; its week starts Monday the 16th.
    expect(periodOf(new Date('2026-11-21T19:00:00Z'), 'WEEK')).toEqual({ start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') });
    expect(periodOf(new Date('2026-11-16T00:00:00Z'), 'WEEK').start).toEqual(new Date('2026-11-16T00:00:00Z'));
    expect(periodOf(new Date('2026-11-22T23:59:59Z'), 'WEEK').start).toEqual(new Date('2026-11-16T00:00:00Z'));
  });
});
