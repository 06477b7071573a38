import { describe, expect, it } from 'vitest';
import { InvoicePaid, QuoteCalculated } from '../../billing/events/contracts.ts';
import { OrderCancelled, OrderCreated } from '../../orders/events/contracts.ts';
import { RoutePlanned, StopFailed } from '../../planning/events/contracts.ts';
import { factsOf, kmDecimal } from './facts.ts';

const ORG = '01900000-0000-7000-8000-000000000001';
const ORDER = '01900000-0000-7000-8000-0000000000a1';
const USER = '01900000-0000-7000-8000-000000000103';
const ROUTE = '01900000-0000-7000-8000-0000000000b1';
const meta = (subject: string) => ({ subject, orgId: ORG, time: '2031-01-02T09:00:00Z' });
const address = { line1: 'x', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5, lon: 13.4 };

describe('the facts each event sets', () => {
  it('given order.created, then the order’s own facts, with its window', () => {
    const event = OrderCreated.create(
      {
        orderId: ORDER, customerId: USER, reference: null, pickup: address, dropoff: address, weightKg: '2.500',
        parcels: [{ weightKg: '2.500', lengthCm: null, widthCm: null, heightCm: null }],
        deliveryWindow: { start: '2031-01-03T09:00:00Z', end: '2031-01-03T13:00:00Z' }, createdAt: '2031-01-02T08:00:00Z',
      },
      meta(ORDER),
    );
    expect(factsOf(event)).toEqual([
      { kind: 'order', orgId: ORG, orderId: ORDER, customerId: USER, createdAt: '2031-01-02T08:00:00Z', weightKg: '2.500', windowStart: '2031-01-03T09:00:00Z', windowEnd: '2031-01-03T13:00:00Z' },
    ]);
  });

  it('given a cancellation or a failed stop, then the instant the event reports, not when it arrived', () => {
    const cancelled = OrderCancelled.create({ orderId: ORDER, previousStatus: 'CREATED', reason: null, cancelledAt: '2031-01-02T10:00:00Z' }, meta(ORDER));
    expect(factsOf(cancelled)).toEqual([{ kind: 'cancelled', orgId: ORG, orderId: ORDER, at: '2031-01-02T10:00:00Z' }]);
    const failed = StopFailed.create({ routeId: ROUTE, stopId: ROUTE, orderId: ORDER, failedAt: '2031-01-03T11:00:00Z', reason: 'x' }, meta(ROUTE));
    expect(factsOf(failed)).toEqual([{ kind: 'failed', orgId: ORG, stopId: ROUTE, orderId: ORDER, routeId: ROUTE, at: '2031-01-03T11:00:00Z' }]);
  });

  it('given a re-price or a re-plan, then it carries its event time and id, so the newer one can win', () => {
    const quote = QuoteCalculated.create(
      { orderId: ORDER, customerId: USER, rateCardVersionId: ROUTE, currency: 'EUR', total: '16.65', distanceKm: '27.000', distanceSource: 'PLANNED', lines: [] },
      meta(ORDER),
    );
    expect(factsOf(quote)).toEqual([
      { kind: 'quote', orgId: ORG, orderId: ORDER, customerId: USER, currency: 'EUR', total: '16.65', distanceKm: '27.000', version: { at: '2031-01-02T09:00:00Z', eventId: quote.id } },
    ]);
    const stop = (orderId: string) => ({ stopId: crypto.randomUUID(), orderId, sequence: 0, plannedArrival: '2031-01-03T09:00:00Z' });
    const route = RoutePlanned.create({ routeId: ROUTE, vehicleId: USER, date: '2031-01-03', distanceKm: 12.3456, stops: [stop(ORDER), stop(ORDER)] }, meta(ROUTE));
    expect(factsOf(route)).toEqual([
      { kind: 'route', orgId: ORG, routeId: ROUTE, vehicleId: USER, date: '2031-01-03T00:00:00.000Z', distanceKm: '12.346', orderIds: [ORDER], version: { at: '2031-01-02T09:00:00Z', eventId: route.id } },
    ]);
  });

  it('given any invoice event, then the invoice’s amounts and only the date that event owns', () => {
    const paid = InvoicePaid.create(
      { invoiceId: ORDER, number: 'INV-1', kind: 'INVOICE', customerId: USER, currency: 'EUR', subtotal: '10.00', tax: '1.90', total: '11.90', paidAt: '2031-02-01T10:00:00Z' },
      meta(ORDER),
    );
    expect(factsOf(paid)).toEqual([
      { kind: 'invoice', orgId: ORG, invoiceId: ORDER, number: 'INV-1', invoiceKind: 'INVOICE', customerId: USER, currency: 'EUR', subtotal: '10.00', tax: '1.90', total: '11.90', issuedAt: null, paidAt: '2031-02-01T10:00:00Z', voidedAt: null },
    ]);
  });

  it('keeps whole metres of a distance planning sends as a number', () => {
    expect([kmDecimal(0), kmDecimal(21.4), kmDecimal(1.0005), kmDecimal(123.4567)]).toEqual(['0.000', '21.400', '1.000', '123.457']);
  });
});
