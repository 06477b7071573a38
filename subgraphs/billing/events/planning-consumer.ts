import { on } from '../../platform/events/consumer.ts';
import { RoutePlanned, StopCompleted } from '../../planning/events/contracts.ts';
import { plannedShares } from '../domain/planned-distance.ts';
import type { Tx } from '../services/invoice-rows.ts';
import { recordDelivery } from '../services/drafting.ts';
import type { BillingMetrics } from '../services/metrics.ts';
import { applyPlannedShare } from '../services/quotes.ts';

/** What billing reads from planning: planned distances to price on, and deliveries to invoice. */
export const BILLING_CONSUMES_PLANNING = [RoutePlanned, StopCompleted] as const;

/**
 * A planned (or re-planned) route gives each order on it its share of the route's distance
 * (domain/planned-distance.ts): the cost to serve, recorded beside the locked checkout price (or
 * the new price, where the organization bills on the planned distance); an order taken off a
 * route loses it. The share is kept even when the quote does not exist yet, so it is applied
 * when the order's OrderCreated arrives late. A completed stop puts its order on a draft
 * invoice, once (services/drafting.ts).
 */
export function planningRoute(metrics: BillingMetrics) {
  return on(BILLING_CONSUMES_PLANNING, async (event, tx: Tx, { now, afterCommit }) => {
    if (event.type === StopCompleted.type) {
      const generated = await recordDelivery(tx, event.orgid, event.data.orderId, new Date(event.data.completedAt), now, metrics);
      afterCommit(() => metrics.invoiceGenerated('INVOICE', generated));
      return;
    }
    await applyRoute(tx, event.orgid, event.data, now, metrics, event.traceparent);
  });
}

async function applyRoute(
  tx: Tx,
  orgId: string,
  route: { routeId: string; distanceKm: number; stops: Array<{ orderId: string }>; removedOrderIds: string[] },
  now: Date,
  metrics: BillingMetrics,
  traceparent?: string,
): Promise<boolean> {
  const { routeId, distanceKm, stops, removedOrderIds } = route;
  let changed = false;
  for (const [orderId, km] of plannedShares(distanceKm, stops.map((s) => s.orderId))) {
    const existing = await tx.plannedDistance.findUnique({ where: { orderId } });
    if (existing && existing.orgId !== orgId) continue; // another tenant's order id: not ours to touch
    await tx.plannedDistance.upsert({ where: { orderId }, create: { orderId, orgId, routeId, distanceKm: km }, update: { routeId, distanceKm: km } });
    changed = (await applyPlannedShare(tx, orgId, orderId, km, now, metrics, traceparent)) || changed;
  }
  for (const orderId of removedOrderIds) {
    const { count } = await tx.plannedDistance.deleteMany({ where: { orderId, orgId, routeId } });
    if (count) changed = (await applyPlannedShare(tx, orgId, orderId, null, now, metrics, traceparent)) || changed;
  }
  return changed;
}

export const PLANNING_TOPIC = RoutePlanned.topic;
