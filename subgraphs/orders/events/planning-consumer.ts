import { on } from '../../platform/events/consumer.ts';
import type { Logger } from '../../platform/logger.ts';
import { PLANNING_EVENTS, RoutePlanned } from '../../planning/events/contracts.ts';
import { transition } from '../domain/order-lifecycle.ts';
import { statusCommandsFor } from '../domain/planning-reactions.ts';
import { routeAssignmentFor, type RouteAssignment } from '../domain/route-assignment.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { recordStatusChange } from '../services/status-change.ts';

/** What orders reacts to (the event catalog lists orders as their consumer). */
export const ORDERS_CONSUMES = PLANNING_EVENTS;

/**
 * Moves orders along their lifecycle as planning reports routes and stops. The kernel commits the
 * status changes, their events and the inbox record in one transaction, so a redelivered event
 * changes nothing. An order of another tenant, an unknown one, or one whose status no longer allows the
 * change (cancelled meanwhile, say) is skipped and logged: that is news, not a failure to retry.
 * An event whose payload breaks its contract throws, is retried, then dead-lettered.
 */
export function planningRoute(logger: Logger) {
  return on(ORDERS_CONSUMES, async (event, tx: Prisma.TransactionClient) => {
    const at = new Date(event.time);
    for (const command of statusCommandsFor(event)) {
      const order = await tx.order.findFirst({ where: { id: command.orderId, orgId: event.orgid } });
      if (!order) {
        logger.warn('event names an order this tenant does not have', { eventId: event.id, orderId: command.orderId });
        continue;
      }
      // A re-plan that keeps an order planned is not a transition.
      if (order.status === command.to) continue;
      const decided = transition(order.status, command.to, { at, actorId: null, reason: command.reason });
      if (!decided.ok) {
        logger.warn('event asks for a transition the order no longer allows', { eventId: event.id, orderId: order.id, message: decided.message });
        continue;
      }
      await recordStatusChange(tx, order, decided.change, { causationId: event.id, traceparent: event.traceparent });
    }
    const assignment = routeAssignmentFor(event);
    if (assignment) await applyRouteAssignment(tx, event.orgid, assignment, at);
  });
}

/**
 * Keeps each order's route and driver as planning last announced them. Routes are keyed (and so
 * ordered) per route, not per order: an order moving from one route to another is named by two
 * partitions, so an assignment older than the one kept is ignored, and a route lets go only of
 * orders it still holds.
 */
async function applyRouteAssignment(tx: Prisma.TransactionClient, orgId: string, a: RouteAssignment, at: Date) {
  if (!a.holds) {
    await tx.order.updateMany({ where: { orgId, routeId: a.routeId }, data: { driverId: a.driverId } });
    return;
  }
  const notNewer = { OR: [{ routeAssignedAt: null }, { routeAssignedAt: { lte: at } }] };
  await tx.order.updateMany({
    where: { orgId, id: { in: a.holds }, ...notNewer },
    data: { routeId: a.routeId, driverId: a.driverId, routeAssignedAt: at },
  });
  await tx.order.updateMany({
    where: { orgId, routeId: a.routeId, id: { notIn: a.holds } },
    data: { routeId: null, driverId: null, routeAssignedAt: at },
  });
}

export const PLANNING_TOPIC = RoutePlanned.topic;
