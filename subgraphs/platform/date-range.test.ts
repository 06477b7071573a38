import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { parseDateRange } from './date-range.ts';

const d = (s: string) => new Date(s);

function codeAndField(work: () => unknown): { code: unknown; field: unknown } {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { code: e.extensions.code, field: e.extensions.field };
  }
  throw new Error('expected an error');
}

describe('parseDateRange', () => {
  it('accepts a range inside the maximum', () => {
    const r = parseDateRange({ from: d('2026-01-01T00:00:00Z'), to: d('2026-02-01T00:00:00Z') }, { maxDays: 366 });
    expect(r.to.getTime() - r.from.getTime()).toBe(31 * 86_400_000);
  });

  it('rejects a range that ends before (or when) it starts, naming `to`', () => {
    expect(codeAndField(() => parseDateRange({ from: d('2026-02-01Z'), to: d('2026-01-01Z') }, { maxDays: 366 }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'range.to',
    });
    expect(codeAndField(() => parseDateRange({ from: d('2026-02-01Z'), to: d('2026-02-01Z') }, { maxDays: 366 })).code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('rejects a range longer than the maximum', () => {
    const result = codeAndField(() =>
      parseDateRange({ from: d('2024-01-01Z'), to: d('2026-01-01Z') }, { maxDays: 366, field: ['filter', 'range'] }),
    );
    expect(result).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.range.to' });
  });

  it('rejects invalid dates', () => {
    expect(codeAndField(() => parseDateRange({ from: new Date('nope'), to: d('2026-01-01Z') }, { maxDays: 1 })).field).toBe(
      'range.from',
    );
  });
});
