import { parseDateRange, type DateRange } from '../../platform/date-range.ts';
import { badInput, type FieldPath } from '../../platform/errors.ts';

/** The range of a KPI query: half-open, ends after it starts, spans at most `maxDays`. */
export const kpiRange = (range: { from: Date; to: Date }, maxDays: number, field: FieldPath = ['range']): DateRange =>
  parseDateRange(range, { maxDays, field });

export const TOP_CUSTOMERS = { default: 10, max: 100 } as const;

/** How many top customers to list: 1..100 (each costs a federated User lookup). */
export function topCustomersLimit(limit: number | null | undefined): number {
  const n = limit ?? TOP_CUSTOMERS.default;
  if (!Number.isInteger(n) || n < 1 || n > TOP_CUSTOMERS.max) throw badInput(`limit must be between 1 and ${TOP_CUSTOMERS.max}.`, ['limit']);
  return n;
}
