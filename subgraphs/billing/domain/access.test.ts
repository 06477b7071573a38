import { describe, expect, it } from 'vitest';
import type { Principal } from '../../kernel/auth/principal.ts';
import { visibleInvoices, visibleQuotes } from './access.ts';

const as = (roles: Principal['roles'], userId = 'u1'): Principal => ({ userId, orgId: 'org', roles });

describe('who sees which quotes', () => {
  it('given finance, dispatch, admin or audit, then every quote of the tenant', () => {
    for (const role of ['FINANCE', 'DISPATCHER', 'ADMIN', 'AUDITOR'] as const) expect(visibleQuotes(as([role]))).toEqual({ orgId: 'org' });
  });

  it('given a customer (or a driver), then only the quotes of their own orders', () => {
    expect(visibleQuotes(as(['CUSTOMER'], 'c1'))).toEqual({ orgId: 'org', customerId: 'c1' });
    expect(visibleQuotes(as(['DRIVER'], 'd1'))).toEqual({ orgId: 'org', customerId: 'd1' });
  });
});

describe('who sees which invoices', () => {
  it('given finance, admin or audit, then every invoice of the tenant, drafts included', () => {
    for (const role of ['FINANCE', 'ADMIN', 'AUDITOR'] as const) expect(visibleInvoices(as([role]))).toEqual({ orgId: 'org' });
  });

  it('given a customer, then only their own invoices and never a draft; given dispatch or a driver, then none', () => {
    expect(visibleInvoices(as(['CUSTOMER'], 'c1'))).toEqual({ orgId: 'org', customerId: 'c1', status: { not: 'DRAFT' } });
    expect(visibleInvoices(as(['DISPATCHER']))).toBeNull();
    expect(visibleInvoices(as(['DRIVER']))).toBeNull();
  });
});
