import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/** Roles that see the quotes of every order of their organization (as orders lets them see the orders). */
const ORG_WIDE: readonly Role[] = ['ADMIN', 'DISPATCHER', 'FINANCE', 'AUDITOR'];

/** Roles that read rate cards, and those that change them. */
export const RATE_CARD_READ_ROLES: readonly Role[] = ['ADMIN', 'FINANCE', 'AUDITOR'];
export const RATE_CARD_WRITE_ROLES: readonly Role[] = ['ADMIN', 'FINANCE'];

/** Roles that see what serving an order costs and the margin on it (never customers: it is the carrier's). */
export const COST_READ_ROLES: readonly Role[] = ['ADMIN', 'FINANCE'];

/** Roles that may ask for an ad hoc price (sales, and customers pricing before they order). */
export const PRICING_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'FINANCE', 'CUSTOMER', 'PARTNER'];

export const isOrgWide = (principal: Principal) => principal.roles.some((r) => ORG_WIDE.includes(r));

/** The filter every quote read goes through: the tenant, and for everyone else only their own orders. */
export function visibleQuotes(principal: Principal): { orgId: string; customerId?: string } {
  return isOrgWide(principal) ? { orgId: principal.orgId } : { orgId: principal.orgId, customerId: principal.userId };
}

/** Roles that see every invoice of their organization, drafts included, and those that act on them. */
export const INVOICE_READ_ROLES: readonly Role[] = ['ADMIN', 'FINANCE', 'AUDITOR'];
export const INVOICE_WRITE_ROLES: readonly Role[] = ['ADMIN', 'FINANCE'];
/** Roles that may list invoices at all: the above, and customers (their own). */
export const INVOICE_LIST_ROLES: readonly Role[] = [...INVOICE_READ_ROLES, 'CUSTOMER', 'PARTNER'];

export type InvoiceScope = { orgId: string; customerId?: string; status?: { not: 'DRAFT' } };

/**
 * The filter every invoice read goes through, or null when the caller sees none. Finance, admins
 * and auditors see the tenant's invoices; a customer (or partner) only their own, and never a
 * DRAFT, which is finance's work in progress; dispatchers and drivers see no invoices.
 */
export function visibleInvoices(principal: Principal): InvoiceScope | null {
  if (principal.roles.some((r) => INVOICE_READ_ROLES.includes(r))) return { orgId: principal.orgId };
  if (principal.roles.some((r) => r === 'CUSTOMER' || r === 'PARTNER')) return { orgId: principal.orgId, customerId: principal.userId, status: { not: 'DRAFT' } };
  return null;
}
