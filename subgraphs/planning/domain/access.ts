import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/** Roles that manage the fleet and plan routes. */
export const DISPATCH_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER'];

/** Roles that read depots, vehicles and routes (drivers only their own routes). */
export const ROUTE_READ_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'AUDITOR', 'DRIVER'];

const ORG_WIDE: readonly Role[] = ['ADMIN', 'DISPATCHER', 'AUDITOR'];

const isDispatcher = (p: Principal) => p.roles.some((r) => DISPATCH_ROLES.includes(r));

/**
 * The filter every route read goes through: inside the caller's tenant, and for a caller who is
 * only a driver, their own routes. Null: the caller may see no route at all.
 */
export function visibleRoutes(principal: Principal): { orgId: string; driverId?: string } | null {
  if (principal.roles.some((r) => ORG_WIDE.includes(r))) return { orgId: principal.orgId };
  if (principal.roles.includes('DRIVER')) return { orgId: principal.orgId, driverId: principal.userId };
  return null;
}

/** Who may start a route and record its stops: a dispatcher, or the driver it is assigned to. */
export function mayWorkRoute(principal: Principal, route: { driverId: string | null }): boolean {
  return isDispatcher(principal) || (principal.roles.includes('DRIVER') && route.driverId === principal.userId);
}

/** A driver iam still lists as one, and active: only such a driver is given or starts a route. */
export const mayDrive = (driver: { isDriver: boolean; deactivatedAt: Date | null }): boolean => driver.isDriver && !driver.deactivatedAt;
