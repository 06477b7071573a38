import { dayStart, dayOf, atMinutes, minutesInto } from '../domain/clock.ts';
import { timeRoute } from '../domain/route-timing.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { recordRoutePlanned } from './route-events.ts';

/**
 * A cancelled order leaves the pool and, when it sits on a route that has not started, that route:
 * the remaining stops close up in the same order, are re-timed, and RoutePlanned announces the
 * route as it now is. Returns whether an event was written. Runs inside the consumer's transaction.
 */
export async function withdrawOrder(tx: Prisma.TransactionClient, orgId: string, orderId: string, traceparent?: string): Promise<boolean> {
  await tx.planningOrder.updateMany({ where: { orderId, orgId }, data: { status: 'CANCELLED' } });
  const stop = await tx.stop.findFirst({ where: { orgId, orderId, status: 'PENDING', route: { status: 'PLANNED' } } });
  if (!stop) return false;
  // Locks the route while it is still unstarted; a start that won the race leaves it untouched.
  const locked = await tx.route.updateMany({ where: { id: stop.routeId, status: 'PLANNED' }, data: { status: 'PLANNED' } });
  if (locked.count !== 1) return false;
  await tx.stop.delete({ where: { id: stop.id } });
  const route = await tx.route.findUniqueOrThrow({
    where: { id: stop.routeId },
    include: { depot: true, vehicle: true, stops: { orderBy: { sequence: 'asc' } } },
  });
  const day = dayStart(dayOf(route.date));
  const timing = timeRoute(
    route.depot,
    route.vehicle.shiftStartMin,
    route.stops.map((s) => ({ lat: s.lat, lon: s.lon, serviceTimeMin: s.serviceTimeMin, readyMin: s.windowStart ? minutesInto(day, s.windowStart) : null })),
  );
  for (const [sequence, s] of route.stops.entries()) {
    await tx.stop.update({ where: { id: s.id }, data: { sequence, plannedArrival: atMinutes(day, timing.arrivals[sequence]!) } });
  }
  await tx.route.update({ where: { id: route.id }, data: { distanceKm: timing.distanceKm, durationMin: timing.durationMin } });
  await recordRoutePlanned(tx, route.id, { traceparent });
  return true;
}
