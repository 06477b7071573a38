/** What planning publishes: route and stop events that move orders along their lifecycle. */
import { z } from 'zod';
import { defineEvent, type EnvelopeOf } from '../../platform/events/contract.ts';

const instant = z.iso.datetime({ offset: true });

export const RoutePlanned = defineEvent({
  type: 'voidtracker.planning.route.planned.v1',
  producer: 'planning',
  aggregate: 'Route',
  description:
    'A route was planned (or re-planned) for a vehicle: its stops in order with their planned arrival. A re-plan that ' +
    'dissolves an unstarted route publishes it once more with no stops; orders it hands back are in removedOrderIds.',
  schema: z.object({
    routeId: z.uuid(),
    vehicleId: z.uuid(),
    date: z.iso.date(),
    distanceKm: z.number().nonnegative(),
    stops: z.array(z.object({ stopId: z.uuid(), orderId: z.uuid(), sequence: z.number().int().nonnegative(), plannedArrival: instant })),
    /** Orders a re-plan took off this route; they go back to the planning pool. */
    removedOrderIds: z.array(z.uuid()).default([]),
    /** The driver the route is assigned to (a re-plan keeps it); absent in events before it was sent. */
    driverId: z.uuid().nullable().default(null),
  }),
});

export const RouteDriverAssigned = defineEvent({
  type: 'voidtracker.planning.route.driver_assigned.v1',
  producer: 'planning',
  aggregate: 'Route',
  description: 'A dispatcher gave the route to a driver (or another one): that driver now reads the orders on it.',
  schema: z.object({ routeId: z.uuid(), driverId: z.uuid(), assignedAt: instant }),
});

export const RouteStarted = defineEvent({
  type: 'voidtracker.planning.route.started.v1',
  producer: 'planning',
  aggregate: 'Route',
  description: 'The driver left the depot: every order on the route is in transit.',
  schema: z.object({ routeId: z.uuid(), orderIds: z.array(z.uuid()), startedAt: instant }),
});

export const StopCompleted = defineEvent({
  type: 'voidtracker.planning.stop.completed.v1',
  producer: 'planning',
  aggregate: 'Route',
  description: 'The order was delivered, with proof of delivery.',
  schema: z.object({
    routeId: z.uuid(),
    stopId: z.uuid(),
    orderId: z.uuid(),
    completedAt: instant,
    recipientName: z.string().nullable(),
  }),
});

export const StopFailed = defineEvent({
  type: 'voidtracker.planning.stop.failed.v1',
  producer: 'planning',
  aggregate: 'Route',
  description: 'The delivery failed at the stop; the order can be planned again.',
  schema: z.object({ routeId: z.uuid(), stopId: z.uuid(), orderId: z.uuid(), failedAt: instant, reason: z.string() }),
});

export const PLANNING_EVENTS = [RoutePlanned, RouteDriverAssigned, RouteStarted, StopCompleted, StopFailed] as const;
export type PlanningEvent = EnvelopeOf<(typeof PLANNING_EVENTS)[number]>;
