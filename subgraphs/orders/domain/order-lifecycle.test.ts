import { describe, expect, it } from 'vitest';
import { canTransition, isTerminal, ORDER_STATUSES, transition } from './order-lifecycle.ts';

const at = new Date('2026-11-21T10:00:00Z');

describe('order lifecycle', () => {
  it('given a created order, when cancelled, then the change records who, when and why', () => {
    const result = transition('CREATED', 'CANCELLED', { at, actorId: 'u1', reason: 'changed my mind' });
    expect(result).toEqual({ ok: true, change: { from: 'CREATED', to: 'CANCELLED', at, actorId: 'u1', reason: 'changed my mind' } });
  });

  it('given an order in transit, when cancelled, then it is refused with what is allowed', () => {
    const result = transition('IN_TRANSIT', 'CANCELLED', { at, actorId: 'u1' });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('DELIVERED or FAILED') });
  });

  it('given a delivered order, then nothing follows it', () => {
    expect(isTerminal('DELIVERED')).toBe(true);
    expect(isTerminal('CANCELLED')).toBe(true);
    for (const to of ORDER_STATUSES) expect(canTransition('DELIVERED', to)).toBe(false);
    expect(transition('DELIVERED', 'FAILED', { at, actorId: null })).toEqual({ ok: false, message: expect.stringContaining('final') });
  });

  it('follows the happy path and a failed delivery planned again', () => {
    const path = ['CREATED', 'PLANNED', 'IN_TRANSIT', 'FAILED', 'PLANNED', 'IN_TRANSIT', 'DELIVERED'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('never allows a status to jump straight to DELIVERED from CREATED', () => {
    expect(canTransition('CREATED', 'DELIVERED')).toBe(false);
    expect(canTransition('CREATED', 'CREATED')).toBe(false);
  });
});
