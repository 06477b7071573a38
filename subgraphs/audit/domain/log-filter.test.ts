import { describe, expect, it } from 'vitest';
import { logWhere, parseLogFilter, parseVerifyRange } from './log-filter.ts';

const fieldOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    const { code, field } = (error as { extensions: { code: string; field: string } }).extensions;
    return { code, field };
  }
  throw new Error('expected an error');
};

describe('the audit log filter', () => {
  it('given no filter, then it selects the whole log of the organization', () => {
    expect(logWhere('org', parseLogFilter(undefined, 31))).toEqual({ orgId: 'org' });
  });

  it('given an entity id, then entries about it or naming it match', () => {
    expect(logWhere('org', parseLogFilter({ entityType: 'Order', entityId: 'abc' }, 31))).toEqual({
      orgId: 'org',
      entityType: 'Order',
      OR: [{ entityId: 'abc' }, { relatedIds: { has: 'abc' } }],
    });
  });

  it('given a range that ends before it starts, or spans more than the maximum, then BAD_USER_INPUT names the field', () => {
    const from = new Date('2031-01-10T00:00:00Z');
    expect(fieldOf(() => parseLogFilter({ range: { from, to: new Date('2031-01-01T00:00:00Z') } }, 31))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.range.to' });
    expect(fieldOf(() => parseLogFilter({ range: { from, to: new Date('2031-03-01T00:00:00Z') } }, 31))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.range.to' });
    expect(parseLogFilter({ range: { from, to: new Date('2031-01-11T00:00:00Z') } }, 31).range).toEqual({ from, to: new Date('2031-01-11T00:00:00Z') });
  });

  it('given a blank or over-long text, then BAD_USER_INPUT names it', () => {
    expect(fieldOf(() => parseLogFilter({ actorId: ' ' }, 31))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.actorId' });
    expect(fieldOf(() => parseLogFilter({ eventType: 'x'.repeat(201) }, 31))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.eventType' });
  });
});

describe('what a chain verification covers', () => {
  it('given sequences the wrong way round or below 1, then BAD_USER_INPUT names the field', () => {
    expect(fieldOf(() => parseVerifyRange({ fromSequence: 5, toSequence: 2 }, 31))).toEqual({ code: 'BAD_USER_INPUT', field: 'toSequence' });
    expect(fieldOf(() => parseVerifyRange({ fromSequence: 0 }, 31))).toEqual({ code: 'BAD_USER_INPUT', field: 'fromSequence' });
    expect(fieldOf(() => parseVerifyRange({ fromSequence: 1.5 }, 31))).toEqual({ code: 'BAD_USER_INPUT', field: 'fromSequence' });
    expect(parseVerifyRange({ fromSequence: 2, toSequence: 2 }, 31)).toEqual({ fromSequence: 2n, toSequence: 2n });
  });
});
