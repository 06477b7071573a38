import { describe, expect, it } from 'vitest';
import type { Principal } from '../../kernel/auth/principal.ts';
import { mayWorkRoute, visibleRoutes, mayDrive } from './access.ts';

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
