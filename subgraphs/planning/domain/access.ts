import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/** Roles that manage the fleet and plan routes. */
export const DISPATCH_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER'];

/** Roles that read depots, vehicles and routes (drivers only their own routes). */
export const ROUTE_READ_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'AUDITOR', 'DRIVER'];

const ORG_WIDE: readonly Role[] = ['ADMIN', 'DISPATCHER', 'AUDITOR'];

/** Roles that see every order of the tenant (as orders lets them), and so every order's eta. */
const ORDER_STAFF: readonly Role[] = [...ORG_WIDE, 'FINANCE'];

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

const holds = (principal: Principal, roles: readonly Role[]) => principal.roles.some((r) => roles.includes(r));

/**
 * Who reads an order's eta (a planned arrival says where a route goes when): staff who see every
 * order, the customer it was placed for, and the driver of the route that delivers it.
 */
export function mayReadEta(principal: Principal, order: { customerId: string | null; driverId: string | null }): boolean {
  if (holds(principal, ORDER_STAFF)) return true;
  if (order.customerId === principal.userId) return true;
  return principal.roles.includes('DRIVER') && order.driverId === principal.userId;
}

/**
 * What of a vehicle a caller of its tenant reads:
 * - `name`, `capacity`: fleet staff, finance (its utilisation KPIs name vehicles and compare the
 *   load with the capacity), and a driver of a route it drives;
 * - `details` (plate, shift, home depot): fleet staff and its drivers, who must find it;
 * - `cost` (cost per km; a route's cost): fleet staff only.
 * Customers and partners read none of it. `ownRoute`: the caller drives (drove) a route with it.
 */
export type VehicleAspect = 'name' | 'capacity' | 'details' | 'cost';

export function mayReadVehicle(principal: Principal, aspect: VehicleAspect, ownRoute: boolean): boolean {
  if (holds(principal, ORG_WIDE)) return true;
  const driver = principal.roles.includes('DRIVER') && ownRoute;
  switch (aspect) {
    case 'name':
    case 'capacity':
      return driver || principal.roles.includes('FINANCE');
    case 'details':
      return driver;
    case 'cost':
      return false;
  }
}

/** A depot is read by fleet staff, and by a driver whose route starts there or whose vehicle is based there. */
export function mayReadDepot(principal: Principal, ownRoute: boolean): boolean {
  return holds(principal, ORG_WIDE) || (principal.roles.includes('DRIVER') && ownRoute);
}
