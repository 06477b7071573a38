import { describe, expect, it } from 'vitest';
import { visibleOrders } from './visibility.ts';

describe('order visibility', () => {
  it('given a dispatcher, then every order of the tenant is visible', () => {
    expect(visibleOrders({ userId: 'u', orgId: 'o', roles: ['DISPATCHER'] })).toEqual({ orgId: 'o' });
  });

  it('given a customer, then only their own orders of the tenant are visible', () => {
    expect(visibleOrders({ userId: 'u', orgId: 'o', roles: ['CUSTOMER'] })).toEqual({ orgId: 'o', customerId: 'u' });
  });

  it('given a driver, then the orders placed for them and those on the routes assigned to them are visible', () => {
    expect(visibleOrders({ userId: 'd', orgId: 'o', roles: ['DRIVER'] })).toEqual({ orgId: 'o', OR: [{ customerId: 'd' }, { driverId: 'd' }] });
  });

  it('given a driver who is also a dispatcher, then the whole tenant is visible', () => {
    expect(visibleOrders({ userId: 'd', orgId: 'o', roles: ['DRIVER', 'DISPATCHER'] })).toEqual({ orgId: 'o' });
  });

  it('given a user with no roles, then they are treated as a customer', () => {
    expect(visibleOrders({ userId: 'u', orgId: 'o', roles: [] })).toEqual({ orgId: 'o', customerId: 'u' });
  });
});
