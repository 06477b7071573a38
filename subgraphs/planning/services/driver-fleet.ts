import type { Principal } from '../../kernel/auth/principal.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

export interface DriverFleet {
  vehicleIds: Set<string>;
  depotIds: Set<string>;
}

const NONE: DriverFleet = { vehicleIds: new Set(), depotIds: new Set() };

/** One answer per request context, gone with it. */
const perRequest = new WeakMap<object, Promise<DriverFleet>>();

/**
 * The vehicles and depots of the routes assigned to the caller as a driver (the route's depot and
 * its vehicle's home depot): what a driver may read of the fleet. One query per request, however
 * many vehicle and depot fields it asks for.
 */
export function driverFleet(ctx: { db: PrismaClient; principal: Principal | null }): Promise<DriverFleet> {
  const p = ctx.principal;
  if (!p?.roles.includes('DRIVER')) return Promise.resolve(NONE);
  let fleet = perRequest.get(ctx);
  if (!fleet) {
    fleet = ctx.db.route
      .findMany({
        where: { orgId: p.orgId, driverId: p.userId },
        select: { vehicleId: true, depotId: true, vehicle: { select: { homeDepotId: true } } },
        distinct: ['vehicleId', 'depotId'],
      })
      .then((routes) => ({
        vehicleIds: new Set(routes.map((r) => r.vehicleId)),
        depotIds: new Set(routes.flatMap((r) => [r.depotId, r.vehicle.homeDepotId])),
      }));
    perRequest.set(ctx, fleet);
  }
  return fleet;
}
