import { dayOf } from '../domain/clock.ts';
import { resequenceRoute } from '../domain/resequence.ts';
import { dayFrame, frameInstant, frameMinutes, wallToFrame } from '../domain/time-zone.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { recordRoutePlanned } from './route-events.ts';

/**
 * A cancelled order leaves the pool and, when it sits on a route that has not started, that route:
 * the remaining stops are re-sequenced for the route's vehicle (domain/resequence.ts), re-timed,
 * and RoutePlanned announces the route as it now is. Returns whether an event was written. Runs
 * inside the consumer's transaction.
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
  const frame = dayFrame(dayOf(route.date), route.depot.timeZone);
  const next = resequenceRoute({
    depot: route.depot,
    departMin: frameMinutes(frame, route.startsAt),
    shiftEndMin: wallToFrame(frame, route.vehicle.shiftEndMin),
    capacityKg: route.vehicle.capacityKg.toNumber(),
    stops: route.stops.map((s) => ({
      id: s.id,
      lat: s.lat,
      lon: s.lon,
      serviceTimeMin: s.serviceTimeMin,
      weightKg: s.weightKg.toNumber(),
      readyMin: s.windowStart ? frameMinutes(frame, s.windowStart) : null,
      dueMin: s.windowEnd ? frameMinutes(frame, s.windowEnd) : null,
    })),
  });
  for (const [sequence, id] of next.order.entries()) {
    await tx.stop.update({ where: { id }, data: { sequence, plannedArrival: frameInstant(frame, next.timing.arrivals[sequence]!) } });
  }
  await tx.route.update({ where: { id: route.id }, data: { distanceKm: next.timing.distanceKm, durationMin: next.timing.durationMin } });
  await recordRoutePlanned(tx, route.id, { traceparent });
  return true;
}
