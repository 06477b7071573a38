import type { PlanningEvent } from '../../planning/events/contracts.ts';

/**
 * What a planning event says about which route holds which orders, and who drives it: orders
 * keeps that beside each order so a driver reads the orders of their own routes (visibility.ts).
 *
 * - `holds`: the orders the route now holds (route.planned lists every stop still to visit; a
 *   route is only re-planned before it starts, so that is all of them). Orders it held before
 *   and no longer lists leave it. Undefined: membership unchanged.
 * - `driverId`: the route's driver, null when none is assigned.
 */
export interface RouteAssignment {
  routeId: string;
  holds?: string[];
  driverId: string | null;
}

export function routeAssignmentFor(event: PlanningEvent): RouteAssignment | null {
  switch (event.type) {
    case 'voidtracker.planning.route.planned.v1':
      return { routeId: event.data.routeId, holds: event.data.stops.map((s) => s.orderId), driverId: event.data.driverId };
    case 'voidtracker.planning.route.driver_assigned.v1':
      return { routeId: event.data.routeId, driverId: event.data.driverId };
    default:
      return null;
  }
}
