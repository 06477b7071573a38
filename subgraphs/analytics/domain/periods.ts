import type { DateRange } from '../../platform/date-range.ts';

/** How a KPI series is grouped; periods are in UTC, weeks start on Monday (ISO 8601). */
export const GROUPINGS = ['DAY', 'WEEK', 'MONTH'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** PostgreSQL's date_trunc unit for each grouping (a closed set, so it may be written into SQL). */
export type PeriodUnit = 'day' | 'week' | 'month';
const UNITS: Readonly<Record<Grouping, PeriodUnit>> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };
export const unitOf = (grouping: Grouping): PeriodUnit => UNITS[grouping];

export interface Period {
  start: Date;
  /** Exclusive. */
  end: Date;
}

const DAY_MS = 86_400_000;

/** The start of the period holding `at`, exactly as `date_trunc(unit, at, 'UTC')` computes it. */
export function periodStart(at: Date, unit: PeriodUnit): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  switch (unit) {
    case 'day':
      return new Date(day);
    case 'week':
      // getUTCDay: Sunday 0 … Saturday 6; Monday starts the week.
      return new Date(day - ((at.getUTCDay() + 6) % 7) * DAY_MS);
    case 'month':
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  }
}

export function nextPeriodStart(start: Date, unit: PeriodUnit): Date {
  switch (unit) {
    case 'day':
      return new Date(start.getTime() + DAY_MS);
    case 'week':
      return new Date(start.getTime() + 7 * DAY_MS);
    case 'month':
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  }
}

/**
 * Every period that overlaps the half-open range, in order, empty ones included, so a chart gets
 * a continuous series. The first and last may reach outside the range: their figures still
 * count only what happened inside it.
 */
export function periodsIn(range: DateRange, unit: PeriodUnit): Period[] {
  const periods: Period[] = [];
  for (let start = periodStart(range.from, unit); start < range.to; ) {
    const end = nextPeriodStart(start, unit);
    periods.push({ start, end });
    start = end;
  }
  return periods;
}

/** How a period is named in maps of figures (the SQL returns the same text). */
export const periodKey = (start: Date): string => start.toISOString();
