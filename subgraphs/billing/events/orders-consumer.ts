import { on } from '../../platform/events/consumer.ts';
import type { Logger } from '../../platform/logger.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { factsFromOrder } from '../domain/order-facts.ts';
import { withdrawCancelled } from '../services/drafting.ts';
import { lockOrder, type Tx } from '../services/invoice-rows.ts';
import type { BillingMetrics } from '../services/metrics.ts';
import { quoteNewOrder } from '../services/quotes.ts';

/** What billing reads from orders. */
export const BILLING_CONSUMES_ORDERS = [OrderCreated, OrderCancelled] as const;

/**
 * Every new order gets its quote at once (direct distance); a cancelled order stays quoted but is
 * no longer billable, and leaves a draft invoice it is on. The kernel commits effect, outbox row
 * and inbox row together, so redelivery changes nothing.
 */
export function ordersRoute(metrics: BillingMetrics, logger: Logger) {
  return on(BILLING_CONSUMES_ORDERS, async (event, tx: Tx, { now, afterCommit }) => {
    switch (event.type) {
      case OrderCreated.type: {
        const result = await quoteNewOrder(tx, event.orgid, event.data.orderId, factsFromOrder(event.data), now, metrics, event.traceparent);
        if (!result.quoted) logger.warn('order not quoted: no rate card in force', { eventId: event.id, orderId: event.data.orderId });
        afterCommit(() => metrics.invoiceGenerated('INVOICE', result.generated));
        return;
      }
      case OrderCancelled.type:
        // Scoped by tenant: another organization's event cannot touch this quote. Locked first, so a delivery being recorded sees it.
        await lockOrder(tx, event.data.orderId);
        await tx.quote.updateMany({ where: { orderId: event.data.orderId, orgId: event.orgid }, data: { billable: false } });
        await withdrawCancelled(tx, event.orgid, event.data.orderId, now, logger);
        return;
    }
  });
}

export const ORDERS_TOPIC = OrderCreated.topic;
