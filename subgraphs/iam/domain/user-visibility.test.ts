import { describe, expect, it } from 'vitest';
import type { Principal } from '../../kernel/auth/principal.ts';
import { mayReadUser } from './user-visibility.ts';

const as = (roles: Principal['roles'], userId = 'me'): Principal => ({ userId, orgId: 'org', roles });
const admin = { id: 'admin', roles: ['ADMIN'] as const };
const driver = { id: 'driver', roles: ['DRIVER'] as const };
const customer = { id: 'customer', roles: ['CUSTOMER'] as const };

describe('who reads what of a user', () => {
  it('given any user, then they read all of themselves', () => {
    for (const aspect of ['name', 'contact', 'account'] as const) expect(mayReadUser(as(['CUSTOMER'], 'customer'), customer, aspect)).toBe(true);
  });

  it('given an admin or auditor, then they read every aspect of everyone', () => {
    for (const role of ['ADMIN', 'AUDITOR'] as const) {
      for (const aspect of ['name', 'contact', 'account'] as const) expect(mayReadUser(as([role]), customer, aspect)).toBe(true);
    }
  });

  it("given a customer, driver or partner, then another user's name, email and roles are hidden", () => {
    for (const role of ['CUSTOMER', 'DRIVER', 'PARTNER'] as const) {
      for (const aspect of ['name', 'contact', 'account'] as const) expect(mayReadUser(as([role]), admin, aspect)).toBe(false);
    }
  });

  it("given a dispatcher, then names, drivers' and customers' emails, but no staff's email and nobody's roles", () => {
    const dispatcher = as(['DISPATCHER']);
    expect(mayReadUser(dispatcher, driver, 'name')).toBe(true);
    expect(mayReadUser(dispatcher, driver, 'contact')).toBe(true);
    expect(mayReadUser(dispatcher, customer, 'contact')).toBe(true);
    expect(mayReadUser(dispatcher, admin, 'contact')).toBe(false);
    expect(mayReadUser(dispatcher, driver, 'account')).toBe(false);
  });

  it("given finance, then names and customers' emails only", () => {
    expect(mayReadUser(as(['FINANCE']), customer, 'name')).toBe(true);
    expect(mayReadUser(as(['FINANCE']), customer, 'contact')).toBe(true);
    expect(mayReadUser(as(['FINANCE']), driver, 'contact')).toBe(false);
    expect(mayReadUser(as(['FINANCE']), admin, 'contact')).toBe(false);
    expect(mayReadUser(as(['FINANCE']), customer, 'account')).toBe(false);
  });

  it('given no caller, then nothing', () => {
    expect(mayReadUser(null, customer, 'name')).toBe(false);
  });
});
