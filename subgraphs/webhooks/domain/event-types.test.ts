import { describe, expect, it } from 'vitest';
import { EVENT_CONTRACTS } from '../../system/events.ts';
import { receives } from './access.ts';
import { checkEventTypes, ORDER_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from './event-types.ts';

describe('subscribable event types', () => {
  it('are every contract of the graph except the mutation records, so a new producer’s events are not forgotten', () => {
    const expected = EVENT_CONTRACTS.map((c) => c.type).filter((t) => !t.endsWith('.mutation.executed.v1')).sort();
    expect(WEBHOOK_EVENT_TYPES).toEqual(expected);
    expect(WEBHOOK_EVENT_TYPES).toContain('voidtracker.orders.order.created.v1');
  });

  it('given an admin’s endpoint, accepts any known type and drops duplicates', () => {
    expect(checkEventTypes(['voidtracker.orders.order.created.v1', 'voidtracker.planning.route.planned.v1', 'voidtracker.orders.order.created.v1'], 'ORGANIZATION')).toEqual({
      ok: true,
      types: ['voidtracker.orders.order.created.v1', 'voidtracker.planning.route.planned.v1'],
    });
  });

  it('names the offending entry: an unknown type, or a partner asking for more than order events', () => {
    expect(checkEventTypes(['voidtracker.orders.order.created.v1', 'order.created'], 'ORGANIZATION')).toMatchObject({ ok: false, index: 1 });
    expect(checkEventTypes(['voidtracker.orders.mutation.executed.v1'], 'ORGANIZATION')).toMatchObject({ ok: false, index: 0 });
    expect(checkEventTypes([...ORDER_EVENT_TYPES, 'voidtracker.planning.route.planned.v1'], 'OWN_ORDERS')).toMatchObject({ ok: false, index: ORDER_EVENT_TYPES.length });
    expect(checkEventTypes([], 'ORGANIZATION')).toMatchObject({ ok: false, index: undefined });
  });

  it('sends an organization endpoint everything, a partner’s only its own orders', () => {
    expect(receives({ scope: 'ORGANIZATION', ownerId: 'admin' }, undefined)).toBe(true);
    expect(receives({ scope: 'OWN_ORDERS', ownerId: 'p1' }, 'p1')).toBe(true);
    expect(receives({ scope: 'OWN_ORDERS', ownerId: 'p1' }, 'p2')).toBe(false);
    expect(receives({ scope: 'OWN_ORDERS', ownerId: 'p1' }, undefined)).toBe(false);
  });
});
