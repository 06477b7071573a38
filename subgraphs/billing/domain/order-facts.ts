import { greatCircleKm } from './geo.ts';
import type { OrderFacts } from './price-quote.ts';

/** What billing keeps of an order (from OrderCreated), enough to price and re-price it. */
export interface StoredOrderFacts extends OrderFacts {
  directKm: string;
  createdAt: string;
}

interface OrderCreatedData {
  customerId: string;
  weightKg: string;
  parcels: Array<{ weightKg: string; lengthCm: string | null; widthCm: string | null; heightCm: string | null }>;
  pickup: { postalCode: string; lat: number; lon: number };
  dropoff: { postalCode: string; lat: number; lon: number };
  deliveryWindow: { start: string; end: string } | null;
  createdAt: string;
}

export const factsFromOrder = (order: OrderCreatedData): StoredOrderFacts => ({
  customerId: order.customerId,
  weightKg: order.weightKg,
  parcels: order.parcels,
  pickupPostalCode: order.pickup.postalCode,
  dropoffPostalCode: order.dropoff.postalCode,
  deliveryWindow: order.deliveryWindow,
  directKm: greatCircleKm(order.pickup, order.dropoff),
  createdAt: order.createdAt,
});
