import { z } from 'zod';
import { defineEvent, type EnvelopeOf } from '../../platform/events/contract.ts';
import { ORDER_STATUSES } from '../domain/order-lifecycle.ts';

const address = z.object({
  line1: z.string(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string().length(2),
  lat: z.number(),
  lon: z.number(),
});
/** Decimal kilograms as a string, exactly as stored (e.g. "2.500"). */
const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const status = z.enum(ORDER_STATUSES);

export const OrderCreated = defineEvent({
  type: 'voidtracker.orders.order.created.v1',
  producer: 'orders',
  aggregate: 'Order',
  description: 'A delivery order was placed: everything planning and billing need to plan and price it.',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    reference: z.string().nullable(),
    pickup: address,
    dropoff: address,
    weightKg: decimal,
    parcels: z.array(
      z.object({ weightKg: decimal, lengthCm: decimal.nullable(), widthCm: decimal.nullable(), heightCm: decimal.nullable() }),
    ),
    deliveryWindow: z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  }),
});

export const OrderCancelled = defineEvent({
  type: 'voidtracker.orders.order.cancelled.v1',
  producer: 'orders',
  aggregate: 'Order',
  description: 'The order was cancelled before delivery; it must leave any route and is never invoiced.',
  schema: z.object({ orderId: z.uuid(), previousStatus: status, reason: z.string().nullable(), cancelledAt: z.iso.datetime({ offset: true }) }),
});

export const OrderStatusChanged = defineEvent({
  type: 'voidtracker.orders.order.status_changed.v1',
  producer: 'orders',
  aggregate: 'Order',
  description: 'The order moved along its lifecycle (every transition, cancellations included).',
  schema: z.object({
    orderId: z.uuid(),
    from: status.nullable(),
    to: status,
    at: z.iso.datetime({ offset: true }),
    reason: z.string().nullable(),
    /** The event that caused it, when another domain did. */
    causationId: z.string().nullable(),
  }),
});

export const ORDERS_EVENTS = [OrderCreated, OrderCancelled, OrderStatusChanged] as const;
export type OrdersEvent = EnvelopeOf<(typeof ORDERS_EVENTS)[number]>;
