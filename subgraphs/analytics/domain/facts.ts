/**
 * What each consumed event says about the read models, as plain fact writes (pure; the
 * projector turns them into SQL). Every write is idempotent and commutes with the others, so the
 * models end the same whatever the order of arrival or the number of copies:
 * - a field is set only by the event that owns it (order.created: the order's own facts;
 *   stop.completed: the delivery; order.cancelled: the cancellation; …);
 * - where two events of one kind set the same field (a re-price, a re-plan), the newer by event
 *   time wins, ties broken by event id (UUIDv7, time-ordered);
 * - instants that can only happen once (delivered, cancelled, issued, paid, voided) keep the
 *   latest seen, which is the same thing for a single event and still commutes.
 */
import { OrganizationCreated } from '../../iam/events/contracts.ts';
import { InvoiceIssued, InvoicePaid, InvoiceVoided, QuoteCalculated } from '../../billing/events/contracts.ts';
import type { EnvelopeOf } from '../../platform/events/contract.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { RoutePlanned, StopCompleted, StopFailed } from '../../planning/events/contracts.ts';

/** Every event type analytics reads, by producer. */
export const ANALYTICS_CONSUMES = {
  iam: [OrganizationCreated],
  orders: [OrderCreated, OrderCancelled],
  planning: [RoutePlanned, StopCompleted, StopFailed],
  billing: [QuoteCalculated, InvoiceIssued, InvoicePaid, InvoiceVoided],
} as const;

type Consumed = (typeof ANALYTICS_CONSUMES)[keyof typeof ANALYTICS_CONSUMES][number];
export type AnalyticsEvent = EnvelopeOf<Consumed>;

/** When and which event set a field that a newer event may replace. */
export interface Version {
  at: string;
  eventId: string;
}

export type FactWrite =
  | { kind: 'order'; orgId: string; orderId: string; customerId: string; createdAt: string; weightKg: string; windowStart: string | null; windowEnd: string | null }
  | { kind: 'delivered'; orgId: string; orderId: string; at: string }
  | { kind: 'cancelled'; orgId: string; orderId: string; at: string }
  | { kind: 'failed'; orgId: string; stopId: string; orderId: string; routeId: string; at: string }
  | { kind: 'quote'; orgId: string; orderId: string; customerId: string; currency: string; total: string; distanceKm: string; version: Version }
  | { kind: 'route'; orgId: string; routeId: string; vehicleId: string; date: string; distanceKm: string; orderIds: string[]; version: Version }
  | {
      kind: 'invoice';
      orgId: string;
      invoiceId: string;
      number: string;
      invoiceKind: 'INVOICE' | 'CREDIT_NOTE';
      customerId: string;
      currency: string;
      subtotal: string;
      tax: string;
      total: string;
      issuedAt: string | null;
      paidAt: string | null;
      voidedAt: string | null;
    }
  | { kind: 'organization'; orgId: string; name: string; slug: string };

/** Kilometres as an exact decimal with whole metres (planning sends a JSON number). */
export const kmDecimal = (km: number): string => km.toFixed(3);

export function factsOf(event: AnalyticsEvent): FactWrite[] {
  const orgId = event.orgid;
  const version = { at: event.time, eventId: event.id };
  switch (event.type) {
    case OrganizationCreated.type:
      return [{ kind: 'organization', orgId: event.data.organizationId, name: event.data.name, slug: event.data.slug }];
    case OrderCreated.type: {
      const d = event.data;
      return [
        {
          kind: 'order',
          orgId,
          orderId: d.orderId,
          customerId: d.customerId,
          createdAt: d.createdAt,
          weightKg: d.weightKg,
          windowStart: d.deliveryWindow?.start ?? null,
          windowEnd: d.deliveryWindow?.end ?? null,
        },
      ];
    }
    case OrderCancelled.type:
      return [{ kind: 'cancelled', orgId, orderId: event.data.orderId, at: event.data.cancelledAt }];
    case RoutePlanned.type: {
      const d = event.data;
      return [
        {
          kind: 'route',
          orgId,
          routeId: d.routeId,
          vehicleId: d.vehicleId,
          date: `${d.date}T00:00:00.000Z`,
          distanceKm: kmDecimal(d.distanceKm),
          orderIds: [...new Set(d.stops.map((s) => s.orderId))],
          version,
        },
      ];
    }
    case StopCompleted.type:
      return [{ kind: 'delivered', orgId, orderId: event.data.orderId, at: event.data.completedAt }];
    case StopFailed.type:
      return [{ kind: 'failed', orgId, stopId: event.data.stopId, orderId: event.data.orderId, routeId: event.data.routeId, at: event.data.failedAt }];
    case QuoteCalculated.type: {
      const d = event.data;
      return [{ kind: 'quote', orgId, orderId: d.orderId, customerId: d.customerId, currency: d.currency, total: d.total, distanceKm: d.distanceKm, version }];
    }
    case InvoiceIssued.type:
    case InvoicePaid.type:
    case InvoiceVoided.type: {
      const d = event.data;
      return [
        {
          kind: 'invoice',
          orgId,
          invoiceId: d.invoiceId,
          number: d.number,
          invoiceKind: d.kind,
          customerId: d.customerId,
          currency: d.currency,
          subtotal: d.subtotal,
          tax: d.tax,
          total: d.total,
          issuedAt: 'issuedAt' in d ? d.issuedAt : null,
          paidAt: 'paidAt' in d ? d.paidAt : null,
          voidedAt: 'voidedAt' in d ? d.voidedAt : null,
        },
      ];
    }
  }
}
