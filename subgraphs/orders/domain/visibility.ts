import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/** Roles that see every order of their organization; everyone else sees only their own. */
export const ORG_WIDE_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'FINANCE', 'AUDITOR'];

/** Roles allowed to place orders. */
export const ORDERING_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'CUSTOMER', 'PARTNER'];

/** Roles allowed to cancel any order of the organization (others only their own). */
export const CANCELLING_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER'];

export type OrderScope =
  | { orgId: string; customerId?: string }
  | { orgId: string; OR: [{ customerId: string }, { driverId: string }] };

/**
 * The filter that keeps a caller inside their tenant and, for everyone without an org-wide role,
 * inside their own orders: those placed for them, and for a driver also those on the routes they
 * are assigned to (`driverId`, learned from planning's events), which they must find and deliver.
 */
export function visibleOrders(principal: Principal): OrderScope {
  const orgWide = principal.roles.some((r) => ORG_WIDE_ROLES.includes(r));
  if (orgWide) return { orgId: principal.orgId };
  if (principal.roles.includes('DRIVER')) return { orgId: principal.orgId, OR: [{ customerId: principal.userId }, { driverId: principal.userId }] };
  return { orgId: principal.orgId, customerId: principal.userId };
}

/** Whether the caller sees only some of the tenant's orders, and so may not list another user's. */
export const seesOnlyOwnOrders = (principal: Principal) => !principal.roles.some((r) => ORG_WIDE_ROLES.includes(r));
