import { on } from '../../platform/events/consumer.ts';
import type { Logger } from '../../platform/logger.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { poolEntryFrom } from '../domain/pool.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { poolOrder } from '../services/pool-order.ts';
import { withdrawOrder } from '../services/withdraw-order.ts';

/** What planning reads from orders. */
export const PLANNING_CONSUMES_ORDERS = [OrderCreated, OrderCancelled] as const;

/**
 * Keeps the planning pool in step with orders: a new order joins it, a cancelled one leaves it
 * (and its unstarted route). The kernel applies it in the batch's transaction with the inbox row,
 * so redelivery changes nothing; status changes and newer versions never reach it.
 */
export function ordersRoute(logger: Logger) {
  return on(PLANNING_CONSUMES_ORDERS, async (event, tx: Prisma.TransactionClient) => {
    switch (event.type) {
      case OrderCreated.type: {
        await poolOrder(tx, event.orgid, poolEntryFrom(event.data));
        return;
      }
      case OrderCancelled.type: {
        const replanned = await withdrawOrder(tx, event.orgid, event.data.orderId, event.traceparent);
        if (replanned) logger.info('cancelled order taken off its route', { eventId: event.id, orderId: event.data.orderId });
        return;
      }
    }
  });
}

export const ORDERS_TOPIC = OrderCreated.topic;
