import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { dayOf } from '../domain/clock.ts';
import { RoutePlanned } from '../events/contracts.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/**
 * Writes RoutePlanned for a route as it now stands (its stops still to visit, in order), inside
 * the caller's transaction. Published on planning and on every re-plan, so consumers always hold
 * the latest version of the route.
 */
export async function recordRoutePlanned(
  tx: Prisma.TransactionClient,
  routeId: string,
  options: { removedOrderIds?: string[]; traceparent?: string } = {},
): Promise<void> {
  const route = await tx.route.findUniqueOrThrow({
    where: { id: routeId },
    include: { stops: { where: { status: 'PENDING' }, orderBy: { sequence: 'asc' } } },
  });
  const event = RoutePlanned.create(
    {
      routeId: route.id,
      vehicleId: route.vehicleId,
      date: dayOf(route.date),
      distanceKm: route.distanceKm,
      stops: route.stops.map((s) => ({ stopId: s.id, orderId: s.orderId, sequence: s.sequence, plannedArrival: s.plannedArrival.toISOString() })),
      removedOrderIds: options.removedOrderIds ?? [],
      driverId: route.driverId,
    },
    { subject: route.id, orgId: route.orgId, traceparent: options.traceparent },
  );
  await writeOutbox(prismaSql(tx), RoutePlanned.topic, [event]);
}
