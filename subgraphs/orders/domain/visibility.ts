import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/** Roles that see every order of their organization; everyone else sees only their own. */
export const ORG_WIDE_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'FINANCE', 'AUDITOR'];

/** Roles allowed to place orders. */
export const ORDERING_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'CUSTOMER', 'PARTNER'];

/** Roles allowed to cancel any order of the organization (others only their own). */
export const CANCELLING_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER'];

/** The filter that keeps a caller inside their tenant and, for customers, inside their own orders. */
export function visibleOrders(principal: Principal): { orgId: string; customerId?: string } {
  const orgWide = principal.roles.some((r) => ORG_WIDE_ROLES.includes(r));
  return orgWide ? { orgId: principal.orgId } : { orgId: principal.orgId, customerId: principal.userId };
}
