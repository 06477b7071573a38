import { conflict } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { StatusChange } from '../domain/order-lifecycle.ts';
import { OrderCancelled, OrderStatusChanged } from '../events/contracts.ts';
import type { Order, Prisma } from '../generated/prisma/client.ts';

/**
 * Records an allowed transition inside the caller's transaction: the status (only if it is still
 * the one decided on), its history entry, and the events announcing it.
 */
export async function recordStatusChange(
  tx: Prisma.TransactionClient,
  order: Pick<Order, 'id' | 'orgId' | 'status'>,
  change: StatusChange,
  cause: { causationId?: string | null; traceparent?: string } = {},
): Promise<void> {
  const causationId = cause.causationId ?? null;
  const updated = await tx.order.updateMany({
    where: { id: order.id, status: order.status },
    data: { status: change.to, updatedAt: change.at, ...(change.to === 'CANCELLED' ? { cancellationReason: change.reason } : {}) },
  });
  if (updated.count !== 1) throw conflict('The order changed while this change was being made; try again.', ['id']);
  await tx.orderStatusChange.create({ data: { id: uuidv7(change.at.getTime()), orderId: order.id, ...change } });
  const meta = { subject: order.id, orgId: order.orgId, traceparent: cause.traceparent };
  const events = [
    OrderStatusChanged.create(
      { orderId: order.id, from: change.from, to: change.to, at: change.at.toISOString(), reason: change.reason, causationId },
      meta,
    ),
  ];
  if (change.to === 'CANCELLED') {
    events.unshift(
      OrderCancelled.create(
        { orderId: order.id, previousStatus: order.status, reason: change.reason, cancelledAt: change.at.toISOString() },
        meta,
      ) as never,
    );
  }
  await writeOutbox(prismaSql(tx), OrderStatusChanged.topic, events);
}
