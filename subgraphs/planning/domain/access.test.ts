import { describe, expect, it } from 'vitest';
import type { Principal } from '../../kernel/auth/principal.ts';
import { mayDrive, mayReadDepot, mayReadEta, mayReadVehicle, mayWorkRoute, visibleRoutes } from './access.ts';

const as = (roles: Principal['roles'], userId = 'u1'): Principal => ({ userId, orgId: 'org', roles });

describe('who sees and works routes', () => {
  it('given a dispatcher or auditor, then every route of the tenant is visible', () => {
    expect(visibleRoutes(as(['DISPATCHER']))).toEqual({ orgId: 'org' });
    expect(visibleRoutes(as(['AUDITOR']))).toEqual({ orgId: 'org' });
  });

  it('given a driver, then only their own routes are visible', () => {
    expect(visibleRoutes(as(['DRIVER'], 'd1'))).toEqual({ orgId: 'org', driverId: 'd1' });
  });

  it('given a customer, then no route is visible', () => {
    expect(visibleRoutes(as(['CUSTOMER']))).toBeNull();
  });

  it('given a route, then its driver and dispatchers may work it, other drivers and auditors may not', () => {
    const route = { driverId: 'd1' };
    expect(mayWorkRoute(as(['DRIVER'], 'd1'), route)).toBe(true);
    expect(mayWorkRoute(as(['DISPATCHER']), route)).toBe(true);
    expect(mayWorkRoute(as(['DRIVER'], 'd2'), route)).toBe(false);
    expect(mayWorkRoute(as(['AUDITOR']), route)).toBe(false);
    expect(mayWorkRoute(as(['DRIVER'], 'd1'), { driverId: null })).toBe(false);
  });
});

describe('mayDrive', () => {
  it('given an active driver, then they may drive; deactivated or without the role, they may not', () => {
    expect(mayDrive({ isDriver: true, deactivatedAt: null })).toBe(true);
    expect(mayDrive({ isDriver: true, deactivatedAt: new Date() })).toBe(false);
    expect(mayDrive({ isDriver: false, deactivatedAt: null })).toBe(false);
  });
});

describe('who reads an eta, a vehicle and a depot', () => {
  it('given an order, then staff, its customer and the driver of its route read its eta; another customer or driver does not', () => {
    const order = { customerId: 'c1', driverId: 'd1' };
    expect(mayReadEta(as(['DISPATCHER']), order)).toBe(true);
    expect(mayReadEta(as(['FINANCE']), order)).toBe(true);
    expect(mayReadEta(as(['CUSTOMER'], 'c1'), order)).toBe(true);
    expect(mayReadEta(as(['PARTNER'], 'c1'), order)).toBe(true);
    expect(mayReadEta(as(['DRIVER'], 'd1'), order)).toBe(true);
    expect(mayReadEta(as(['CUSTOMER'], 'c2'), order)).toBe(false);
    expect(mayReadEta(as(['DRIVER'], 'd2'), order)).toBe(false);
    expect(mayReadEta(as(['CUSTOMER'], 'd1'), order)).toBe(false); // a driver's id, but not as a driver
  });

  it('given fleet staff, then every aspect of every vehicle and depot', () => {
    for (const role of ['ADMIN', 'DISPATCHER', 'AUDITOR'] as const) {
      for (const aspect of ['name', 'capacity', 'details', 'cost'] as const) expect(mayReadVehicle(as([role]), aspect, false)).toBe(true);
      expect(mayReadDepot(as([role]), false)).toBe(true);
    }
  });

  it('given a driver, then name and details of the vehicles of their own routes, never the cost, and only their depots', () => {
    const driver = as(['DRIVER']);
    expect(mayReadVehicle(driver, 'name', true)).toBe(true);
    expect(mayReadVehicle(driver, 'details', true)).toBe(true);
    expect(mayReadVehicle(driver, 'cost', true)).toBe(false);
    expect(mayReadVehicle(driver, 'details', false)).toBe(false);
    expect(mayReadDepot(driver, true)).toBe(true);
    expect(mayReadDepot(driver, false)).toBe(false);
  });

  it('given finance, then a vehicle’s name and capacity only; given a customer, then nothing', () => {
    expect(mayReadVehicle(as(['FINANCE']), 'name', false)).toBe(true);
    expect(mayReadVehicle(as(['FINANCE']), 'capacity', false)).toBe(true);
    expect(mayReadVehicle(as(['FINANCE']), 'details', false)).toBe(false);
    expect(mayReadVehicle(as(['FINANCE']), 'cost', false)).toBe(false);
    expect(mayReadDepot(as(['FINANCE']), false)).toBe(false);
    for (const aspect of ['name', 'capacity', 'details', 'cost'] as const) expect(mayReadVehicle(as(['CUSTOMER']), aspect, true)).toBe(false);
    expect(mayReadDepot(as(['CUSTOMER']), true)).toBe(false);
  });
});
