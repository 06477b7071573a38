import { describe, expect, it } from 'vitest';
import { fiscalYearOf, formatNumber, patternProblem } from './numbering.ts';

describe('invoice numbering', () => {
  it('given a January fiscal year, then it is the calendar year', () => {
    expect(fiscalYearOf(new Date('2026-01-01T00:00:00Z'), 1)).toEqual({ startYear: 2026, endYear: 2026 });
    expect(fiscalYearOf(new Date('2026-12-31T23:59:59Z'), 1)).toEqual({ startYear: 2026, endYear: 2026 });
  });

  it('given a July fiscal year, then June belongs to the year before and July starts the next', () => {
    expect(fiscalYearOf(new Date('2026-06-30T23:59:59Z'), 7)).toEqual({ startYear: 2025, endYear: 2026 });
    expect(fiscalYearOf(new Date('2026-07-01T00:00:00Z'), 7)).toEqual({ startYear: 2026, endYear: 2027 });
  });

  it('prints numbers by the pattern, padding {seq:N}', () => {
    const fy = { startYear: 2026, endYear: 2027 };
    expect(formatNumber('{series}-{fy}-{seq:6}', { series: 'INV', fiscalYear: fy, sequence: 42 })).toBe('INV-2026-000042');
    expect(formatNumber('{series}/{fy}-{fyEnd}/{seq}', { series: 'CN', fiscalYear: fy, sequence: 7 })).toBe('CN/2026-2027/7');
    expect(formatNumber('{series}{fyEnd}{seq:2}', { series: 'B', fiscalYear: fy, sequence: 1234 })).toBe('B20271234');
  });

  it('refuses patterns that could repeat a number or print unsafe text', () => {
    expect(patternProblem('{series}-{fy}-{seq:6}')).toBeNull();
    expect(patternProblem('{series}-{fy}')).toMatch(/must contain \{seq\}/);
    expect(patternProblem('{fy}-{seq}')).toMatch(/must contain \{series\}/);
    expect(patternProblem('{series}-{seq}')).toMatch(/must contain \{fy\} or \{fyEnd\}/);
    expect(patternProblem('{series}-{fy}-{seq}-{seq}')).toMatch(/at most once/);
    expect(patternProblem('{series} {fy} {seq}')).toMatch(/may hold only/);
    expect(patternProblem('{series}-{fy}-{seq:0}')).toMatch(/N from 1 to 12/);
    expect(patternProblem('{series}-{fy:4}-{seq}')).toMatch(/takes no width/);
    expect(patternProblem('{series}-{year}-{seq}')).toMatch(/may hold only/);
  });
});
