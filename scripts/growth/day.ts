import { mulberry32 } from '../../subgraphs/platform/random.ts';
import { uuidv7At } from './random.ts';
import { dayRange, STOPS_PER_ROUTE, tenantOf, type ScaleOptions, type Tenant } from './tenants.ts';

/** One table's new rows, column name → value as JSON (PostgreSQL casts them on insert). */
export type Rows = Array<Record<string, unknown>>;

/** An audit fact before it gets its place in the tenant's chain. */
export interface AuditEvent {
  orgId: string;
  eventType: string;
  source: string;
  subject: string;
  entityType: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

/** Everything one day of orders writes, per domain. */
export interface DayRows {
  day: number;
  orders: number;
  orderRows: { Order: Rows; Parcel: Rows; OrderStatusChange: Rows };
  planning: { PlanningOrder: Rows; Route: Rows; Stop: Rows };
  billing: { Quote: Rows; DeliveredOrder: Rows };
  /** Invoices of the day's delivered orders, one per customer; numbered when written. */
  invoices: DraftInvoice[];
  audit: AuditEvent[];
  analytics: { OrderFact: Rows; RouteFact: Rows; RouteStopFact: Rows; FailureFact: Rows; InvoiceFact: Rows };
}

export interface DraftInvoice {
  id: string;
  number: string;
  fiscalYear: number;
  sequence: number;
  orgId: string;
  customerId: string;
  issuedAt: number;
  paidAt: number | null;
  lines: Array<{ id: string; orderId: string; amount: number }>;
  /** The credit note that refunds the first line, for some invoices. */
  creditNote: { id: string; lineId: string; number: string; sequence: number; issuedAt: number } | null;
}

/** Days after its order's creation that a fact can happen (the credit note: invoice at +3, then +5). */
export const AUDIT_LOOKBACK_DAYS = 10;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const VAT_RATE = 19;

export const dayStart = (options: ScaleOptions, day: number) => Date.parse(options.start) + day * DAY;
export const iso = (ms: number) => new Date(ms).toISOString();
export const money = (n: number) => n.toFixed(2);

/** The tax of a net amount at the seed's single VAT rate, rounded to the cent. */
export const taxOf = (net: number) => Math.round(net * VAT_RATE) / 100;

type Fate = 'CREATED' | 'PLANNED' | 'IN_TRANSIT' | 'DELIVERED' | 'FAILED' | 'CANCELLED';

/**
 * The orders created on `day` and all that followed from them: a route the next day, the stop's
 * outcome, the quote at checkout, the invoice two days later, and the audit and analytics trail.
 * Orders of the last two days are still open (the planning pool, routes under way).
 */
export function generateDay(options: ScaleOptions, tenants: Tenant[], day: number): DayRows {
  const random = mulberry32(options.seed * 1_000_003 + day);
  const start = dayStart(options, day);
  const age = options.days - 1 - day;
  const out: DayRows = {
    day,
    orders: 0,
    orderRows: { Order: [], Parcel: [], OrderStatusChange: [] },
    planning: { PlanningOrder: [], Route: [], Stop: [] },
    billing: { Quote: [], DeliveredOrder: [] },
    invoices: [],
    audit: [],
    analytics: { OrderFact: [], RouteFact: [], RouteStopFact: [], FailureFact: [], InvoiceFact: [] },
  };
  const plannedBy = new Map<number, Array<{ orderId: string; customerId: string; lat: number; lon: number; weightKg: string; windowStart: string | null; windowEnd: string | null; fate: Fate; total: number }>>();
  const [from, to] = dayRange(options, day);
  const orderStream = new Array<{ g: number; createdAt: number }>();
  for (let g = from; g < to; g++) orderStream.push({ g, createdAt: start + 6 * HOUR + Math.floor(random() * 12 * HOUR) });
  orderStream.sort((a, b) => a.createdAt - b.createdAt);

  for (const { g, createdAt } of orderStream) {
    const tenant = tenants[tenantOf(g, options.tenants)]!;
    // A few customers order most: the first of a tenant's list gets the most orders.
    const customerId = tenant.customers[Math.floor(tenant.customers.length * random() ** 2)]!;
    const id = uuidv7At(createdAt, random);
    const weight = 1 + random() * 30;
    const weightKg = weight.toFixed(3);
    const lat = tenant.lat + (random() - 0.5) * 0.3;
    const lon = tenant.lon + (random() - 0.5) * 0.4;
    const windowed = random() < 0.6;
    const windowFrom = start + DAY + (9 + Math.floor(random() * 6)) * HOUR;
    const windowStart = windowed ? iso(windowFrom) : null;
    const windowEnd = windowed ? iso(windowFrom + 2 * HOUR) : null;
    const distanceKm = 2 + random() * 40;
    const perKm = Math.round(distanceKm * 65) / 100;
    const perKg = Math.round(weight * 12) / 100;
    const total = Math.round((4.9 + perKm + perKg) * 100) / 100;
    const roll = random();
    const fate: Fate =
      age >= 2 ? (roll < 0.06 ? 'CANCELLED' : roll < 0.1 ? 'FAILED' : 'DELIVERED')
      : age === 1 ? (roll < 0.5 ? 'IN_TRANSIT' : 'DELIVERED')
      : roll < 0.4 ? 'PLANNED' : 'CREATED';
    out.orders++;

    const history: Array<{ from: Fate | null; to: Fate; at: number; reason: string | null }> = [{ from: null, to: 'CREATED', at: createdAt, reason: null }];
    if (fate === 'CANCELLED') history.push({ from: 'CREATED', to: 'CANCELLED', at: createdAt + 2 * HOUR, reason: 'customer request' });
    else if (fate !== 'CREATED') {
      history.push({ from: 'CREATED', to: 'PLANNED', at: start + 20 * HOUR, reason: null });
      if (fate !== 'PLANNED') history.push({ from: 'PLANNED', to: 'IN_TRANSIT', at: start + DAY + 8 * HOUR, reason: null });
      // The stop's time is filled in with the route below; a placeholder keeps the order.
      if (fate === 'DELIVERED' || fate === 'FAILED') history.push({ from: 'IN_TRANSIT', to: fate, at: 0, reason: fate === 'FAILED' ? 'recipient absent' : null });
      listIn(plannedBy, tenant.index).push({ orderId: id, customerId, lat, lon, weightKg, windowStart, windowEnd, fate, total });
    }

    out.orderRows.Order.push({
      id, orgId: tenant.id, customerId, reference: `SC-${g}`, status: fate,
      pickupLine1: 'Depot road 1', pickupCity: `City ${tenant.index}`, pickupPostalCode: '10000', pickupCountry: 'DE', pickupLat: tenant.lat, pickupLon: tenant.lon,
      dropoffLine1: `Street ${g % 997} ${1 + (g % 89)}`, dropoffCity: `City ${tenant.index}`, dropoffPostalCode: String(10000 + (g % 89999)), dropoffCountry: 'DE', dropoffLat: lat, dropoffLon: lon,
      weightKg, windowStart, windowEnd, cancellationReason: fate === 'CANCELLED' ? 'customer request' : null,
      createdAt: iso(createdAt), updatedAt: iso(createdAt),
      _history: history,
    });
    out.orderRows.Parcel.push({ id: uuidv7At(createdAt, random), orderId: id, position: 0, weightKg, lengthCm: '40.0', widthCm: '30.0', heightCm: '20.0' });
    out.planning.PlanningOrder.push({
      orderId: id, orgId: tenant.id, customerId, reference: `SC-${g}`, pickupLat: tenant.lat, pickupLon: tenant.lon,
      dropoffLine1: `Street ${g % 997} ${1 + (g % 89)}`, dropoffCity: `City ${tenant.index}`, dropoffLat: lat, dropoffLon: lon, weightKg, windowStart, windowEnd,
      status: fate === 'CREATED' ? 'PENDING' : fate === 'CANCELLED' ? 'CANCELLED' : fate === 'DELIVERED' ? 'DELIVERED' : 'PLANNED',
      createdAt: iso(createdAt),
    });
    out.billing.Quote.push({
      orderId: id, orgId: tenant.id, customerId, rateCardVersionId: tenant.rateCardVersionId, currency: 'EUR', total: money(total),
      lines: [
        { code: 'BASE_FEE', description: 'Base fee', amount: '4.90' },
        { code: 'PER_KM', description: `${distanceKm.toFixed(1)} km`, amount: money(perKm) },
        { code: 'WEIGHT_TIERS', description: `${weightKg} kg`, amount: money(perKg) },
      ], distanceKm: distanceKm.toFixed(3), distanceSource: 'DIRECT', chargeableWeightKg: weightKg,
      facts: { weightKg, distanceKm: distanceKm.toFixed(3) }, pricedAt: iso(createdAt), createdAt: iso(createdAt),
    });
    out.analytics.OrderFact.push({
      orderId: id, orgId: tenant.id, customerId, createdAt: iso(createdAt), weightKg, windowStart, windowEnd,
      cancelledAt: fate === 'CANCELLED' ? iso(createdAt + 2 * HOUR) : null,
      quoteTotal: money(total), quoteCurrency: 'EUR', quoteDistanceKm: distanceKm.toFixed(3), quoteAt: iso(createdAt),
    });
    out.audit.push({
      orgId: tenant.id, eventType: 'voidtracker.orders.order.created.v1', source: '/voidtracker/orders', subject: id, entityType: 'Order', occurredAt: createdAt,
      data: { orderId: id, customerId, reference: `SC-${g}`, weightKg, createdAt: iso(createdAt) },
    });
  }

  // Routes: each tenant's planned orders of the day, STOPS_PER_ROUTE to a van, driven the next day.
  const routeDate = iso(start + DAY).slice(0, 10);
  const routeStart = start + DAY + 8 * HOUR;
  const orderById = new Map(out.orderRows.Order.map((o) => [o.id as string, o]));
  const factById = new Map(out.analytics.OrderFact.map((o) => [o.orderId as string, o]));
  const deliveredBy = new Map<string, Array<{ orderId: string; total: number; at: number }>>();
  for (const [t, planned] of plannedBy) {
    const tenant = tenants[t]!;
    for (let r = 0; r * STOPS_PER_ROUTE < planned.length; r++) {
      const stops = planned.slice(r * STOPS_PER_ROUTE, (r + 1) * STOPS_PER_ROUTE);
      const routeId = uuidv7At(start + 20 * HOUR, random);
      const vehicleId = tenant.vehicles[r]!;
      const done = stops.every((s) => s.fate === 'DELIVERED' || s.fate === 'FAILED');
      const distanceKm = Math.round(stops.length * 3.2 * 1000) / 1000;
      out.planning.Route.push({
        id: routeId, orgId: tenant.id, vehicleId, depotId: tenant.depotId, date: routeDate,
        status: age === 0 ? 'PLANNED' : done ? 'COMPLETED' : 'IN_PROGRESS', distanceKm, durationMin: stops.length * 20,
        startsAt: iso(routeStart), startedAt: age === 0 ? null : iso(routeStart), completedAt: age >= 2 ? iso(routeStart + (stops.length + 1) * 20 * 60_000) : null,
        createdAt: iso(start + 20 * HOUR),
      });
      out.analytics.RouteFact.push({ routeId, orgId: tenant.id, vehicleId, date: `${routeDate}T00:00:00.000Z`, distanceKm, stops: stops.length, plannedAt: iso(start + 20 * HOUR), plannedEventId: routeId });
      out.audit.push({
        orgId: tenant.id, eventType: 'voidtracker.planning.route.planned.v1', source: '/voidtracker/planning', subject: routeId, entityType: 'Route', occurredAt: start + 20 * HOUR,
        data: { routeId, vehicleId, date: routeDate, stops: stops.map((s, i) => ({ orderId: s.orderId, sequence: i + 1 })) },
      });
      stops.forEach((s, i) => {
        const arrival = routeStart + (i + 1) * 20 * 60_000;
        const stopId = uuidv7At(start + 20 * HOUR, random);
        const order = orderById.get(s.orderId)!;
        order.routeId = routeId;
        order.routeAssignedAt = iso(start + 20 * HOUR);
        const ended = s.fate === 'DELIVERED' || s.fate === 'FAILED';
        out.planning.Stop.push({
          id: stopId, orgId: tenant.id, routeId, orderId: s.orderId, sequence: i + 1, lat: s.lat, lon: s.lon, weightKg: s.weightKg,
          plannedArrival: iso(arrival), serviceTimeMin: 5, windowStart: s.windowStart, windowEnd: s.windowEnd,
          status: s.fate === 'DELIVERED' ? 'COMPLETED' : s.fate === 'FAILED' ? 'FAILED' : 'PENDING',
          recipientName: s.fate === 'DELIVERED' ? 'Recipient' : null,
          completedAt: s.fate === 'DELIVERED' ? iso(arrival) : null,
          failedAt: s.fate === 'FAILED' ? iso(arrival) : null, failureReason: s.fate === 'FAILED' ? 'recipient absent' : null,
        });
        out.analytics.RouteStopFact.push({ routeId, orderId: s.orderId, orgId: tenant.id });
        if (s.fate === 'FAILED') out.analytics.FailureFact.push({ stopId, orgId: tenant.id, orderId: s.orderId, routeId, failedAt: iso(arrival) });
        if (ended) (order._history as Array<{ at: number }>).at(-1)!.at = arrival;
        if (s.fate === 'DELIVERED') {
          factById.get(s.orderId)!.deliveredAt = iso(arrival);
          const key = `${t}|${s.customerId}`;
          listIn(deliveredBy, key).push({ orderId: s.orderId, total: s.total, at: arrival });
        }
      });
    }
  }

  // Status history and its audit entries, now that every transition has its time.
  for (const order of out.orderRows.Order) {
    const history = order._history as Array<{ from: Fate | null; to: Fate; at: number; reason: string | null }>;
    delete order._history;
    for (const h of history) {
      out.orderRows.OrderStatusChange.push({ id: uuidv7At(h.at, random), orderId: order.id, from: h.from, to: h.to, at: iso(h.at), reason: h.reason });
      if (h.from === null) continue;
      out.audit.push({
        orgId: order.orgId as string, eventType: 'voidtracker.orders.order.status_changed.v1', source: '/voidtracker/orders', subject: order.id as string, entityType: 'Order', occurredAt: h.at,
        data: { orderId: order.id, from: h.from, to: h.to, at: iso(h.at), reason: h.reason },
      });
    }
    order.updatedAt = iso(history.at(-1)!.at);
  }

  // Delivered orders are invoiced per customer two days after the route; some invoices get a credit note.
  const now = Date.parse(options.start) + options.days * DAY;
  const issuedAt = start + 3 * DAY + 6 * HOUR;
  const fiscalYear = new Date(issuedAt).getUTCFullYear();
  let index = 0;
  for (const [key, delivered] of deliveredBy) {
    const tenant = tenants[Number(key.split('|')[0])]!;
    const customerId = key.split('|')[1]!;
    const invoiced = issuedAt < now;
    const id = uuidv7At(issuedAt, random);
    for (const d of delivered) out.billing.DeliveredOrder.push({ orderId: d.orderId, orgId: tenant.id, deliveredAt: iso(d.at), invoiceId: invoiced ? id : null });
    if (!invoiced) continue;
    // Numbers are unique per tenant, series and year (day of the run, then the invoice's place in
    // the day) so that each domain can be written without the others; they are not gapless.
    const sequence = (day + 3) * 10_000 + index++;
    const number = (series: string, seq: number) => `${series}-${fiscalYear}-${String(seq).padStart(7, '0')}`;
    const lines = delivered.map((d) => ({ id: uuidv7At(issuedAt, random), orderId: d.orderId, amount: d.total }));
    const paidAt = issuedAt + 14 * DAY < now ? issuedAt + 14 * DAY : null;
    const creditAt = issuedAt + 5 * DAY;
    const credited = random() < 0.04 && creditAt < now;
    const creditNote = credited ? { id: uuidv7At(creditAt, random), lineId: uuidv7At(creditAt, random), number: number('CN', sequence), sequence, issuedAt: creditAt } : null;
    const invoice: DraftInvoice = { id, number: number('INV', sequence), fiscalYear, sequence, orgId: tenant.id, customerId, issuedAt, paidAt, lines, creditNote };
    out.invoices.push(invoice);
    const net = lines.reduce((sum, l) => sum + l.amount, 0);
    out.analytics.InvoiceFact.push({
      invoiceId: id, orgId: tenant.id, number: invoice.number, kind: 'INVOICE', customerId, currency: 'EUR',
      subtotal: money(net), tax: money(taxOf(net)), total: money(net + taxOf(net)), issuedAt: iso(issuedAt), paidAt: paidAt === null ? null : iso(paidAt),
    });
    out.audit.push({
      orgId: tenant.id, eventType: 'voidtracker.billing.invoice.issued.v1', source: '/voidtracker/billing', subject: id, entityType: 'Invoice', occurredAt: issuedAt,
      data: { invoiceId: id, number: invoice.number, customerId, orderIds: lines.map((l) => l.orderId), total: money(net + taxOf(net)) },
    });
    if (creditNote) {
      const refund = lines[0]!.amount;
      out.analytics.InvoiceFact.push({
        invoiceId: creditNote.id, orgId: tenant.id, number: creditNote.number, kind: 'CREDIT_NOTE', customerId, currency: 'EUR',
        subtotal: money(-refund), tax: money(-taxOf(refund)), total: money(-(refund + taxOf(refund))), issuedAt: iso(creditAt), paidAt: null,
      });
      out.audit.push({
        orgId: tenant.id, eventType: 'voidtracker.billing.invoice.issued.v1', source: '/voidtracker/billing', subject: creditNote.id, entityType: 'Invoice', occurredAt: creditAt,
        data: { invoiceId: creditNote.id, number: creditNote.number, creditsInvoiceId: id, customerId, orderIds: [lines[0]!.orderId], total: money(-(refund + taxOf(refund))) },
      });
    }
  }
  out.audit.sort((a, b) => a.occurredAt - b.occurredAt);
  return out;
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
