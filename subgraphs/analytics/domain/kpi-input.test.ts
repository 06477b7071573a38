import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { kpiRange, topCustomersLimit } from './kpi-input.ts';

const failure = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { code: (error as AppError).extensions.code, field: (error as AppError).extensions.field };
  }
  throw new Error('expected an error');
};

describe('KPI input', () => {
  it('given a range within the maximum, then it is taken as it is; reversed, empty or too long, then BAD_USER_INPUT on range.to', () => {
    const from = new Date('2031-01-01T00:00:00Z');
    expect(kpiRange({ from, to: new Date('2032-01-01T00:00:00Z') }, 366)).toEqual({ from, to: new Date('2032-01-01T00:00:00Z') });
    expect(failure(() => kpiRange({ from, to: new Date('2030-12-31T00:00:00Z') }, 366))).toEqual({ code: 'BAD_USER_INPUT', field: 'range.to' });
    expect(failure(() => kpiRange({ from, to: from }, 366))).toEqual({ code: 'BAD_USER_INPUT', field: 'range.to' });
    expect(failure(() => kpiRange({ from, to: new Date('2031-01-31T00:00:01Z') }, 30))).toEqual({ code: 'BAD_USER_INPUT', field: 'range.to' });
  });

  it('given a top-customers limit, then 1..100 pass, the default is 10, anything else names `limit`', () => {
    expect(topCustomersLimit(undefined)).toBe(10);
    expect(topCustomersLimit(null)).toBe(10);
    expect(topCustomersLimit(1)).toBe(1);
    expect(topCustomersLimit(100)).toBe(100);
    for (const bad of [0, -1, 101]) expect(failure(() => topCustomersLimit(bad))).toEqual({ code: 'BAD_USER_INPUT', field: 'limit' });
  });
});
