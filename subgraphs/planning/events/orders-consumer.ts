import { eventParser } from '../../kernel/events/contract.ts';
import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import type { Logger } from '../../kernel/logger.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { poolEntryFrom } from '../domain/pool.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { withdrawOrder } from '../services/withdraw-order.ts';

/** What planning reads from orders. */
export const PLANNING_CONSUMES_ORDERS = [OrderCreated, OrderCancelled] as const;
const parseOrders = eventParser(PLANNING_CONSUMES_ORDERS);
const CONSUMER = 'planning';

/**
 * Keeps the planning pool in step with orders: a new order joins it, a cancelled one leaves it
 * (and its unstarted route). Effect and inbox row commit together, so redelivery changes nothing.
 * A payload that breaks its contract throws, is retried, then dead-lettered.
 */
export function ordersConsumer(db: PrismaClient, outbox: { notify(): void }, logger: Logger) {
  return async (envelope: EventEnvelope): Promise<void> => {
    const event = parseOrders(envelope);
    if (!event) return; // status changes and newer versions are not planning's concern
    const outcome = await db.$transaction((tx) =>
      handleOnce(prismaSql(tx), CONSUMER, event, async () => {
        switch (event.type) {
          case OrderCreated.type: {
            const entry = poolEntryFrom(event.data);
            await tx.planningOrder.upsert({ where: { orderId: entry.orderId }, create: { ...entry, orgId: event.orgid }, update: { customerId: entry.customerId } });
            return false;
          }
          case OrderCancelled.type: {
            const replanned = await withdrawOrder(tx, event.orgid, event.data.orderId, event.traceparent);
            if (replanned) logger.info('cancelled order taken off its route', { eventId: event.id, orderId: event.data.orderId });
            return replanned;
          }
        }
      }),
    );
    if (outcome.handled && outcome.result) outbox.notify();
  };
}

export const ORDERS_TOPIC = OrderCreated.topic;
