/**
 * A plausible event history of one busy organization, for the benchmark and the tests: orders
 * placed every day and priced at once, planned onto routes the next morning (and re-priced on
 * their share of the route), delivered (mostly inside their window), some failed or cancelled, and
 * each customer invoiced monthly, most invoices paid two weeks later, a few voided. Seeded, so a
 * run is repeatable; lazy, so a year of it streams in constant memory.
 */
import { InvoiceIssued, InvoicePaid, InvoiceVoided, QuoteCalculated } from '../../billing/events/contracts.ts';
import type { EventEnvelope } from '../../platform/events/envelope.ts';
import { mulberry32 } from '../../platform/random.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { RoutePlanned, StopCompleted, StopFailed } from '../../planning/events/contracts.ts';

export interface SyntheticOptions {
  orgId: string;
  orders: number;
  /** Midnight UTC of the first day. */
  start: Date;
  days: number;
  seed?: number;
  /** Customer (iam User) ids; generated when absent. */
  customers?: readonly string[];
  /** Customers from this index on are billed in GBP, the others in EUR. */
  gbpFrom?: number;
  stopsPerRoute?: number;
}

export interface SyntheticEvent {
  topic: string;
  envelope: EventEnvelope;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A version-4-shaped UUID from the seeded generator. */
const uuidFrom = (random: () => number) => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const cents = (n: number) => `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
const grams = (g: number) => `${Math.floor(g / 1000)}.${String(g % 1000).padStart(3, '0')}`;
/** A simple tariff in exact cents: 4.90 + 0.55/km + 0.20/kg. */
const priceCents = (metres: number, g: number) => 490 + Math.round((55 * metres) / 1000) + Math.round((20 * g) / 1000);

interface PlacedOrder {
  orderId: string;
  customerId: string;
  currency: string;
  grams: number;
  directMetres: number;
  window: { start: number; end: number } | null;
}

const address = { line1: 'Synthetic 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5, lon: 13.4 };

export function* syntheticHistory(options: SyntheticOptions): Generator<SyntheticEvent> {
  const random = mulberry32(options.seed ?? 1);
  const { orgId } = options;
  const customers = options.customers ?? Array.from({ length: Math.max(5, Math.round(options.orders / 200)) }, () => uuidFrom(random));
  const gbpFrom = options.gbpFrom ?? Math.max(1, Math.floor(customers.length * 0.9));
  const perRoute = options.stopsPerRoute ?? 25;
  const vehicles = Array.from({ length: Math.max(1, Math.ceil(options.orders / options.days / perRoute)) }, () => uuidFrom(random));
  const meta = (subject: string, at: number) => ({ subject, orgId, time: new Date(at) });
  // Events that happen on a later day (payments), by day index.
  const later = new Map<number, SyntheticEvent[]>();
  const schedule = (day: number, event: SyntheticEvent) => later.set(day, [...(later.get(day) ?? []), event]);
  // Yesterday's orders wait to be planned; each customer's delivered orders of the month wait to be invoiced.
  let toPlan: PlacedOrder[] = [];
  let billable = new Map<string, { currency: string; subtotal: number; orderIds: string[] }>();
  let invoiceNo = 0;

  for (let day = 0; day <= options.days; day++) {
    const midnight = options.start.getTime() + day * DAY;
    yield* later.get(day) ?? [];
    later.delete(day);

    if (new Date(midnight).getUTCDate() === 1 && billable.size) {
      for (const [customerId, bill] of billable) yield* invoiceEvents(customerId, bill, midnight, day);
      billable = new Map();
    }

    // Plan yesterday's orders onto routes at 06:00, re-price them, then deliver them.
    for (let r = 0; r * perRoute < toPlan.length; r++) {
      const stops = toPlan.slice(r * perRoute, (r + 1) * perRoute);
      const routeId = uuidFrom(random);
      const vehicleId = vehicles[r % vehicles.length]!;
      const date = new Date(midnight).toISOString().slice(0, 10);
      let metres = 15_000 + Math.round(stops.reduce((s, o) => s + o.directMetres, 0) * 0.6);
      const planned = (at: number) =>
        RoutePlanned.create(
          {
            routeId,
            vehicleId,
            date,
            distanceKm: metres / 1000,
            stops: stops.map((o, i) => ({ stopId: uuidFrom(random), orderId: o.orderId, sequence: i, plannedArrival: new Date(at + (i + 3) * 15 * 60_000).toISOString() })),
            removedOrderIds: [],
          },
          meta(routeId, at),
        );
      yield { topic: RoutePlanned.topic, envelope: planned(midnight + 6 * HOUR) };
      // Now and then the dispatcher re-plans a route: the newer plan is the one that counts.
      if (random() < 0.05) {
        metres += 2_500;
        yield { topic: RoutePlanned.topic, envelope: planned(midnight + 6.5 * HOUR) };
      }
      const share = Math.floor(metres / stops.length);
      for (const o of stops) yield quote(o, share, 'PLANNED', midnight + 7 * HOUR);
      for (const o of stops) {
        const roll = random();
        const at = midnight + 8.5 * HOUR + Math.floor(random() * 9 * HOUR);
        const stopId = uuidFrom(random);
        if (roll < 0.04) {
          yield { topic: StopFailed.topic, envelope: StopFailed.create({ routeId, stopId, orderId: o.orderId, failedAt: new Date(at).toISOString(), reason: 'nobody home' }, meta(routeId, at)) };
          continue;
        }
        yield { topic: StopCompleted.topic, envelope: StopCompleted.create({ routeId, stopId, orderId: o.orderId, completedAt: new Date(at).toISOString(), recipientName: 'R. Ecipient' }, meta(routeId, at)) };
        const bill = billable.get(o.customerId) ?? { currency: o.currency, subtotal: 0, orderIds: [] };
        bill.subtotal += priceCents(share, o.grams);
        bill.orderIds.push(o.orderId);
        billable.set(o.customerId, bill);
      }
    }
    toPlan = [];
    if (day === options.days) break;

    // Today's orders: placed through the day, priced at once, a few cancelled within the hour.
    const count = Math.floor(((day + 1) * options.orders) / options.days) - Math.floor((day * options.orders) / options.days);
    for (let i = 0; i < count; i++) {
      const at = midnight + Math.floor(((i + random()) / count) * 20 * HOUR);
      const index = Math.floor(customers.length * random() ** 2);
      const nextDay = midnight + DAY;
      const slot = random() < 0.5 ? 9 : 13;
      const o: PlacedOrder = {
        orderId: uuidFrom(random),
        customerId: customers[index]!,
        currency: index >= gbpFrom ? 'GBP' : 'EUR',
        grams: 500 + Math.floor(random() * 30_000),
        directMetres: 2_000 + Math.floor(random() * 40_000),
        window: random() < 0.7 ? { start: nextDay + slot * HOUR, end: nextDay + (slot + 4) * HOUR } : null,
      };
      yield {
        topic: OrderCreated.topic,
        envelope: OrderCreated.create(
          {
            orderId: o.orderId,
            customerId: o.customerId,
            reference: null,
            pickup: address,
            dropoff: address,
            weightKg: grams(o.grams),
            parcels: [{ weightKg: grams(o.grams), lengthCm: null, widthCm: null, heightCm: null }],
            deliveryWindow: o.window ? { start: new Date(o.window.start).toISOString(), end: new Date(o.window.end).toISOString() } : null,
            createdAt: new Date(at).toISOString(),
          },
          meta(o.orderId, at),
        ),
      };
      yield quote(o, o.directMetres, 'DIRECT', at + 2_000);
      if (random() < 0.04) {
        const cancelledAt = at + HOUR;
        yield {
          topic: OrderCancelled.topic,
          envelope: OrderCancelled.create({ orderId: o.orderId, previousStatus: 'CREATED', reason: 'no longer needed', cancelledAt: new Date(cancelledAt).toISOString() }, meta(o.orderId, cancelledAt)),
        };
      } else {
        toPlan.push(o);
      }
    }
  }

  function quote(o: PlacedOrder, metres: number, source: 'DIRECT' | 'PLANNED', at: number): SyntheticEvent {
    const total = cents(priceCents(metres, o.grams));
    return {
      topic: QuoteCalculated.topic,
      envelope: QuoteCalculated.create(
        {
          orderId: o.orderId,
          customerId: o.customerId,
          rateCardVersionId: '01900000-0000-7000-8000-0000000000cc',
          currency: o.currency,
          total,
          distanceKm: grams(metres),
          distanceSource: source,
          lines: [{ code: 'BASE_FEE', description: 'Tariff', amount: total }],
        },
        meta(o.orderId, at),
      ),
    };
  }

  function* invoiceEvents(customerId: string, bill: { currency: string; subtotal: number; orderIds: string[] }, midnight: number, day: number): Generator<SyntheticEvent> {
    const invoiceId = uuidFrom(random);
    const tax = Math.round(bill.subtotal * 0.19);
    const facts = {
      invoiceId,
      number: `INV-${String(++invoiceNo).padStart(6, '0')}`,
      kind: 'INVOICE' as const,
      customerId,
      currency: bill.currency,
      subtotal: cents(bill.subtotal),
      tax: cents(tax),
      total: cents(bill.subtotal + tax),
    };
    const issuedAt = midnight + 2 * HOUR;
    yield { topic: InvoiceIssued.topic, envelope: InvoiceIssued.create({ ...facts, orderIds: bill.orderIds, creditsInvoiceId: null, issuedAt: new Date(issuedAt).toISOString() }, meta(invoiceId, issuedAt)) };
    const roll = random();
    if (roll < 0.03) {
      const voidedAt = issuedAt + HOUR;
      yield { topic: InvoiceVoided.topic, envelope: InvoiceVoided.create({ ...facts, reason: 'wrong address', voidedAt: new Date(voidedAt).toISOString() }, meta(invoiceId, voidedAt)) };
    } else if (roll < 0.85) {
      const payDay = day + 10 + Math.floor(random() * 10);
      const paidAt = options.start.getTime() + payDay * DAY + 11 * HOUR;
      schedule(payDay, { topic: InvoicePaid.topic, envelope: InvoicePaid.create({ ...facts, paidAt: new Date(paidAt).toISOString() }, meta(invoiceId, paidAt)) });
    }
  }
}
