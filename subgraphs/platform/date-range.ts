import { badInput, type FieldPath } from './errors.ts';

export interface DateRange {
  from: Date;
  /** Exclusive. */
  to: Date;
}

const DAY_MS = 86_400_000;

/**
 * Checks a half-open [from, to) range from a query's arguments: it must not end before it starts,
 * and must not span more than `maxDays` (reports over a bigger range would scan without bound).
 */
export function parseDateRange(
  range: { from: Date; to: Date },
  options: { maxDays: number; field?: FieldPath },
): DateRange {
  const field = options.field ?? ['range'];
  const { from, to } = range;
  if (Number.isNaN(from.getTime())) throw badInput(`${[...field, 'from'].join('.')}: not a valid date-time`, [...field, 'from']);
  if (Number.isNaN(to.getTime())) throw badInput(`${[...field, 'to'].join('.')}: not a valid date-time`, [...field, 'to']);
  if (to.getTime() <= from.getTime()) {
    throw badInput(`${[...field, 'to'].join('.')}: must be after ${[...field, 'from'].join('.')}`, [...field, 'to']);
  }
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (days > options.maxDays) {
    throw badInput(
      `${field.join('.')}: spans ${Math.ceil(days)} days, more than the maximum of ${options.maxDays}`,
      [...field, 'to'],
    );
  }
  return { from, to };
}
