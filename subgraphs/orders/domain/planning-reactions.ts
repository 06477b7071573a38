import type { PlanningEvent } from '../../planning/events/contracts.ts';
import type { OrderStatus } from './order-lifecycle.ts';

export interface StatusCommand {
  orderId: string;
  to: OrderStatus;
  reason: string | null;
}

/** What each planning event asks of the orders it names (pure: the consumer applies it). */
export function statusCommandsFor(event: PlanningEvent): StatusCommand[] {
  switch (event.type) {
    case 'voidtracker.planning.route.planned.v1':
      return [
        ...event.data.stops.map((s) => ({ orderId: s.orderId, to: 'PLANNED' as const, reason: `planned on route ${event.data.routeId}` })),
        ...event.data.removedOrderIds.map((orderId) => ({ orderId, to: 'CREATED' as const, reason: `taken off route ${event.data.routeId}` })),
      ];
    case 'voidtracker.planning.route.driver_assigned.v1':
      return [];
    case 'voidtracker.planning.route.started.v1':
      return event.data.orderIds.map((orderId) => ({ orderId, to: 'IN_TRANSIT' as const, reason: `route ${event.data.routeId} started` }));
    case 'voidtracker.planning.stop.completed.v1':
      return [{ orderId: event.data.orderId, to: 'DELIVERED', reason: event.data.recipientName ? `received by ${event.data.recipientName}` : null }];
    case 'voidtracker.planning.stop.failed.v1':
      return [{ orderId: event.data.orderId, to: 'FAILED', reason: event.data.reason }];
  }
}
