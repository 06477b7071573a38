import { on, type ConsumeContext } from '../../platform/events/consumer.ts';
import type { EnvelopeOf } from '../../platform/events/contract.ts';
import { prismaSql, type SqlExecutor } from '../../platform/events/sql.ts';
import type { Logger } from '../../platform/logger.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { factsFromOrder } from '../domain/order-facts.ts';
import { invoiceDelivered, withdrawCancelled } from '../services/drafting.ts';
import { lockOrder, type Tx } from '../services/invoice-rows.ts';
import type { BillingMetrics } from '../services/metrics.ts';
import { quoteNewOrder, type QuoteOutcome } from '../services/quotes.ts';

/** What billing reads from orders. */
export const BILLING_CONSUMES_ORDERS = [OrderCreated, OrderCancelled] as const;

/**
 * Every new order gets its quote at once (direct distance): on plain SQL, the consumer's hot
 * path, except for an order delivered before billing saw it, whose invoicing needs the ORM. A
 * cancelled order stays quoted but is no longer billable, and leaves a draft invoice it is on.
 * The kernel commits effect, outbox row and inbox row together, so redelivery changes nothing.
 */
export function ordersRoutes(metrics: BillingMetrics, logger: Logger) {
  const quoted = (event: EnvelopeOf<typeof OrderCreated>, outcome: QuoteOutcome, { afterCommit, decline }: ConsumeContext) => {
    if (outcome === 'needs-invoicing') return decline();
    if (!outcome.quoted) logger.warn('order not quoted: no rate card in force', { eventId: event.id, orderId: event.data.orderId });
    afterCommit(() => metrics.invoiceGenerated('INVOICE', outcome.generated));
  };
  const quote = (sql: SqlExecutor, event: EnvelopeOf<typeof OrderCreated>, now: Date, invoice?: () => Promise<number>) =>
    quoteNewOrder(sql, event.orgid, event.data.orderId, factsFromOrder(event.data), now, metrics, event.traceparent, invoice);
  return [
    on(
      [OrderCreated],
      async (event, tx: Tx, ctx) => quoted(event, await quote(prismaSql(tx), event, ctx.now, () => invoiceDelivered(tx, event.orgid, event.data.orderId, ctx.now, metrics)), ctx),
      { sql: async (event, sql, ctx) => quoted(event, await quote(sql, event, ctx.now), ctx) },
    ),
    on([OrderCancelled], async (event, tx: Tx, { now }) => {
      // Scoped by tenant: another organization's event cannot touch this quote. Locked first, so a delivery being recorded sees it.
      await lockOrder(prismaSql(tx), event.data.orderId);
      await tx.quote.updateMany({ where: { orderId: event.data.orderId, orgId: event.orgid }, data: { billable: false } });
      await withdrawCancelled(tx, event.orgid, event.data.orderId, now, logger);
    }),
  ];
}

export const ORDERS_TOPIC = OrderCreated.topic;
