import { describe, expect, it } from 'vitest';
import { nextPeriodStart, periodKey, periodStart, periodsIn, unitOf } from './periods.ts';

const d = (s: string) => new Date(s);
const starts = (from: string, to: string, unit: 'day' | 'week' | 'month') => periodsIn({ from: d(from), to: d(to) }, unit).map((p) => p.start.toISOString());

describe('periods', () => {
  it('truncates like date_trunc in UTC: days at midnight, weeks on Monday, months on the 1st', () => {
    const at = d('2031-01-08T23:59:59.999+05:00'); // Wednesday 2031-01-08 18:59:59.999 UTC
    expect(periodStart(at, 'day').toISOString()).toBe('2031-01-08T00:00:00.000Z');
    expect(periodStart(at, 'week').toISOString()).toBe('2031-01-06T00:00:00.000Z');
    expect(periodStart(d('2031-01-12T12:00:00Z'), 'week').toISOString()).toBe('2031-01-06T00:00:00.000Z'); // a Sunday
    expect(periodStart(d('2031-01-13T00:00:00Z'), 'week').toISOString()).toBe('2031-01-13T00:00:00.000Z'); // a Monday
    expect(periodStart(at, 'month').toISOString()).toBe('2031-01-01T00:00:00.000Z');
  });

  it('steps months by the calendar (February, leap years) and days by 24 hours', () => {
    expect(nextPeriodStart(d('2032-01-01Z'), 'month').toISOString()).toBe('2032-02-01T00:00:00.000Z');
    expect(nextPeriodStart(d('2032-02-01Z'), 'month').toISOString()).toBe('2032-03-01T00:00:00.000Z');
    expect(nextPeriodStart(d('2031-12-01Z'), 'month').toISOString()).toBe('2032-01-01T00:00:00.000Z');
    expect(nextPeriodStart(d('2032-02-28Z'), 'day').toISOString()).toBe('2032-02-29T00:00:00.000Z');
  });

  it('lists every period overlapping a half-open range, the partial first and last included', () => {
    expect(starts('2031-01-30T12:00:00Z', '2031-03-01T00:00:00Z', 'month')).toEqual(['2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z']);
    expect(starts('2031-01-01T00:00:00Z', '2031-01-04T00:00:01Z', 'day')).toHaveLength(4);
    expect(starts('2031-01-01T00:00:00Z', '2031-01-04T00:00:00Z', 'day')).toHaveLength(3);
    expect(starts('2031-01-01T00:00:00Z', '2031-01-15T00:00:00Z', 'week')).toEqual(['2030-12-30T00:00:00.000Z', '2031-01-06T00:00:00.000Z', '2031-01-13T00:00:00.000Z']);
    expect(periodsIn({ from: d('2031-01-01Z'), to: d('2032-01-01Z') }, 'day')).toHaveLength(365);
  });

  it('names a period by its start as the SQL does, and maps each grouping to its unit', () => {
    expect(periodKey(d('2031-01-06T00:00:00Z'))).toBe('2031-01-06T00:00:00.000Z');
    expect([unitOf('DAY'), unitOf('WEEK'), unitOf('MONTH')]).toEqual(['day', 'week', 'month']);
  });
});
