import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/** Roles that see the quotes of every order of their organization (as orders lets them see the orders). */
const ORG_WIDE: readonly Role[] = ['ADMIN', 'DISPATCHER', 'FINANCE', 'AUDITOR'];

/** Roles that read rate cards, and those that change them. */
export const RATE_CARD_READ_ROLES: readonly Role[] = ['ADMIN', 'FINANCE', 'AUDITOR'];
export const RATE_CARD_WRITE_ROLES: readonly Role[] = ['ADMIN', 'FINANCE'];

/** Roles that may ask for an ad hoc price (sales, and customers pricing before they order). */
export const PRICING_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'FINANCE', 'CUSTOMER', 'PARTNER'];

export const isOrgWide = (principal: Principal) => principal.roles.some((r) => ORG_WIDE.includes(r));

/** The filter every quote read goes through: the tenant, and for everyone else only their own orders. */
export function visibleQuotes(principal: Principal): { orgId: string; customerId?: string } {
  return isOrgWide(principal) ? { orgId: principal.orgId } : { orgId: principal.orgId, customerId: principal.userId };
}
