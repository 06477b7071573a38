import { eventParser } from '../../kernel/events/contract.ts';
import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import type { Logger } from '../../kernel/logger.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { factsFromOrder } from '../domain/order-facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { withdrawCancelled } from '../services/drafting.ts';
import { lockOrder } from '../services/invoice-rows.ts';
import type { BillingMetrics } from '../services/metrics.ts';
import { quoteNewOrder } from '../services/quotes.ts';

/** What billing reads from orders. */
export const BILLING_CONSUMES_ORDERS = [OrderCreated, OrderCancelled] as const;
const parseOrders = eventParser(BILLING_CONSUMES_ORDERS);
const CONSUMER = 'billing';

/**
 * Every new order gets its quote at once (direct distance); a cancelled order stays quoted but is
 * no longer billable, and leaves a draft invoice it is on. Effect, outbox row and inbox row commit
 * together, so redelivery changes nothing.
 */
export function ordersConsumer(db: PrismaClient, outbox: { notify(): void }, metrics: BillingMetrics, logger: Logger) {
  return async (envelope: EventEnvelope): Promise<void> => {
    const event = parseOrders(envelope);
    if (!event) return;
    const outcome = await db.$transaction((tx) =>
      handleOnce(prismaSql(tx), CONSUMER, event, async () => {
        const now = new Date();
        switch (event.type) {
          case OrderCreated.type: {
            const result = await quoteNewOrder(tx, event.orgid, event.data.orderId, factsFromOrder(event.data), now, metrics, event.traceparent);
            if (!result.quoted) logger.warn('order not quoted: no rate card in force', { eventId: event.id, orderId: event.data.orderId });
            return result;
          }
          case OrderCancelled.type:
            // Scoped by tenant: another organization's event cannot touch this quote. Locked first, so a delivery being recorded sees it.
            await lockOrder(tx, event.data.orderId);
            await tx.quote.updateMany({ where: { orderId: event.data.orderId, orgId: event.orgid }, data: { billable: false } });
            await withdrawCancelled(tx, event.orgid, event.data.orderId, now, logger);
            return { quoted: false, generated: 0 };
        }
      }),
    );
    if (!outcome.handled) return;
    metrics.invoiceGenerated('INVOICE', outcome.result.generated);
    if (outcome.result.quoted) outbox.notify();
  };
}

export const ORDERS_TOPIC = OrderCreated.topic;
