import { describe, expect, it } from 'vitest';
import { lockedUntil, marginOf, planningReprices, priceAtDelivery } from './price-lock.ts';

describe('price lock', () => {
  const placed = new Date('2026-12-01T09:30:00Z');

  it('given an order placed with a 30-day validity, then its price holds until the same moment 30 days later', () => {
    expect(lockedUntil(placed, 30)).toEqual(new Date('2026-12-31T09:30:00Z'));
    expect(lockedUntil(placed, 0)).toEqual(placed);
  });

  it('given a delivery within the lock, then the checkout price is invoiced; after it, the order is re-priced', () => {
    const lock = lockedUntil(placed, 7);
    expect(priceAtDelivery(lock, new Date('2026-12-02T12:00:00Z'))).toBe('KEEP');
    expect(priceAtDelivery(lock, lock)).toBe('KEEP');
    expect(priceAtDelivery(lock, new Date(lock.getTime() + 1))).toBe('LOCK_EXPIRED');
  });

  it('given no lock (a final price, or a quote from before locks), then it is invoiced as it stands', () => {
    expect(priceAtDelivery(null, new Date('2099-01-01T00:00:00Z'))).toBe('KEEP');
  });

  it('given a planned route, then only an organization billing the planned distance re-prices', () => {
    expect(planningReprices({ repriceOnPlanning: false })).toBe(false);
    expect(planningReprices({ repriceOnPlanning: true })).toBe(true);
  });

  it('given a price and a cost to serve, then the margin is their exact difference, negative when serving costs more', () => {
    // The case: 16.20 quoted at checkout, 29.41 by the card on the planned one-stop route.
    expect(marginOf('16.20', '29.41', 'EUR')).toBe('-13.21');
    expect(marginOf('29.41', '16.20', 'EUR')).toBe('13.21');
    expect(marginOf('0.30', '0.10', 'EUR')).toBe('0.20');
    expect(marginOf('1500', '1200', 'JPY')).toBe('300');
  });
});
