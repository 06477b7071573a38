import { on } from '../../platform/events/consumer.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { Logger } from '../../platform/logger.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { poolEntryFrom } from '../domain/pool.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { poolOrder } from '../services/pool-order.ts';
import { withdrawOrder } from '../services/withdraw-order.ts';

/** What planning reads from orders. */
export const PLANNING_CONSUMES_ORDERS = [OrderCreated, OrderCancelled] as const;

/**
 * Keeps the planning pool in step with orders: a new order joins it (on plain SQL, the
 * consumer's hot path), a cancelled one leaves it (and its unstarted route). The kernel applies
 * it in the batch's transaction with the inbox row, so redelivery changes nothing; status changes
 * and newer versions never reach it.
 */
export function ordersRoutes(logger: Logger) {
  return [
    on([OrderCreated], (event, tx: Prisma.TransactionClient) => poolOrder(prismaSql(tx), event.orgid, poolEntryFrom(event.data)), {
      sql: (event, sql) => poolOrder(sql, event.orgid, poolEntryFrom(event.data)),
    }),
    on([OrderCancelled], async (event, tx: Prisma.TransactionClient) => {
      const replanned = await withdrawOrder(tx, event.orgid, event.data.orderId, event.traceparent);
      if (replanned) logger.info('cancelled order taken off its route', { eventId: event.id, orderId: event.data.orderId });
    }),
  ];
}

export const ORDERS_TOPIC = OrderCreated.topic;
