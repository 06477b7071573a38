import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../../gateway/testing/harness.ts';
import type { EventEnvelope } from '../platform/events/envelope.ts';
import { factsOf, type AnalyticsEvent } from './domain/facts.ts';
import { billingConsumer, BILLING_TOPIC } from './events/billing-consumer.ts';
import { ordersConsumer, ORDERS_TOPIC } from './events/orders-consumer.ts';
import { planningConsumer, PLANNING_TOPIC } from './events/planning-consumer.ts';
import { syntheticHistory, type SyntheticEvent } from './events/synthetic-history.ts';
import { kpiFigures, type KpiFigures } from './services/figures.ts';
import { compareSnapshots, rebuildOrganization, replayEventLog, snapshotFigures } from './services/rebuild.ts';
import { databaseStore, prismaStore } from './services/store.ts';
import { openAnalyticsDb, type AnalyticsDb } from './testing.ts';

const ORG = '01900000-0000-7000-8000-000000000001';
const OTHER = '01900000-0000-7000-8000-000000000002';
const START = new Date('2031-01-01T00:00:00Z');
const RANGE = { from: START, to: new Date('2031-04-01T00:00:00Z') };
const backends = await availableBackends();
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const history = [
  ...syntheticHistory({ orgId: ORG, orders: 600, start: START, days: 62, seed: 7 }),
  ...syntheticHistory({ orgId: OTHER, orders: 60, start: START, days: 40, seed: 9 }),
];

/** Feeds events through the subgraph's own consumers, as the transport would. */
async function consume(a: AnalyticsDb, events: readonly SyntheticEvent[]) {
  const handlers: Record<string, (e: EventEnvelope) => Promise<void>> = {
    [ORDERS_TOPIC]: ordersConsumer(a.db),
    [PLANNING_TOPIC]: planningConsumer(a.db),
    [BILLING_TOPIC]: billingConsumer(a.db),
  };
  for (const { topic, envelope } of events) await handlers[topic]!(envelope);
}

/** A seeded shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const units = (text: string, scale: number) => {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = Number(whole) * 10 ** scale + Number(fraction.padEnd(scale, '0').slice(0, scale) || '0');
  return text.startsWith('-') ? -value : value;
};

/**
 * The same KPIs computed a second way, straight from the event list in memory (newest quote and
 * plan by event time, an order failed when any of its stops failed), over the whole range.
 */
function expectedTotals(events: readonly SyntheticEvent[], orgId: string, range: { from: Date; to: Date }) {
  const inRange = (at: string | null | undefined) => !!at && Date.parse(at) >= range.from.getTime() && Date.parse(at) < range.to.getTime();
  const newer = (a: { time: string; id: string } | undefined, b: EventEnvelope) => !a || Date.parse(b.time) > Date.parse(a.time) || (b.time === a.time && b.id > a.id);
  const orders = new Map<string, { createdAt?: string; customerId?: string; grams?: number; window?: { start: string; end: string } | null; deliveredAt?: string; cancelledAt?: string; quote?: { time: string; id: string; cents: number; currency: string; metres: number } }>();
  const failures = new Map<string, { orderId: string; at: string }>();
  const routes = new Map<string, { time: string; id: string; vehicleId: string; date: string; metres: number; orderIds: string[] }>();
  const invoices = new Map<string, { currency: string; total: number; subtotal: number; customerId: string; issuedAt?: string; paidAt?: string; voidedAt?: string }>();
  const order = (id: string) => orders.get(id) ?? (orders.set(id, {}), orders.get(id)!);
  for (const { envelope } of events) {
    if (envelope.orgid !== orgId) continue;
    for (const f of factsOf(envelope as AnalyticsEvent)) {
      if (f.kind === 'order') Object.assign(order(f.orderId), { createdAt: f.createdAt, customerId: f.customerId, grams: units(f.weightKg, 3), window: f.windowStart ? { start: f.windowStart, end: f.windowEnd! } : null });
      if (f.kind === 'delivered') order(f.orderId).deliveredAt = f.at;
      if (f.kind === 'cancelled') order(f.orderId).cancelledAt = f.at;
      if (f.kind === 'failed') failures.set(f.stopId, { orderId: f.orderId, at: f.at });
      if (f.kind === 'quote' && newer(order(f.orderId).quote, envelope)) order(f.orderId).quote = { time: envelope.time, id: envelope.id, cents: units(f.total, 2), currency: f.currency, metres: units(f.distanceKm, 3) };
      if (f.kind === 'route' && newer(routes.get(f.routeId), envelope)) routes.set(f.routeId, { time: envelope.time, id: envelope.id, vehicleId: f.vehicleId, date: f.date, metres: units(f.distanceKm, 3), orderIds: f.orderIds });
      if (f.kind === 'invoice') {
        const invoice = invoices.get(f.invoiceId) ?? { currency: f.currency, total: units(f.total, 2), subtotal: units(f.subtotal, 2), customerId: f.customerId };
        invoices.set(f.invoiceId, { ...invoice, ...(f.issuedAt ? { issuedAt: f.issuedAt } : {}), ...(f.paidAt ? { paidAt: f.paidAt } : {}), ...(f.voidedAt ? { voidedAt: f.voidedAt } : {}) });
      }
    }
  }
  const all = [...orders.values()];
  const delivered = all.filter((o) => inRange(o.deliveredAt));
  const windowed = delivered.filter((o) => o.window);
  const revenue = new Map<string, { invoiced: number; net: number; paid: number }>();
  for (const i of invoices.values()) {
    if (i.voidedAt) continue;
    const r = revenue.get(i.currency) ?? { invoiced: 0, net: 0, paid: 0 };
    if (inRange(i.issuedAt)) Object.assign(r, { invoiced: r.invoiced + i.total, net: r.net + i.subtotal });
    if (inRange(i.paidAt)) r.paid += i.total;
    revenue.set(i.currency, r);
  }
  const prices = new Map<string, { orders: number; cents: number; metres: number; grams: number }>();
  for (const o of all.filter((o) => inRange(o.createdAt) && !o.cancelledAt && o.quote)) {
    const p = prices.get(o.quote!.currency) ?? { orders: 0, cents: 0, metres: 0, grams: 0 };
    prices.set(o.quote!.currency, { orders: p.orders + 1, cents: p.cents + o.quote!.cents, metres: p.metres + o.quote!.metres, grams: p.grams + o.grams! });
  }
  const vehicles = new Map<string, { routes: number; stops: number; metres: number; grams: number }>();
  for (const r of [...routes.values()].filter((r) => inRange(r.date))) {
    const v = vehicles.get(r.vehicleId) ?? { routes: 0, stops: 0, metres: 0, grams: 0 };
    vehicles.set(r.vehicleId, { routes: v.routes + 1, stops: v.stops + r.orderIds.length, metres: v.metres + r.metres, grams: v.grams + r.orderIds.reduce((s, id) => s + (orders.get(id)?.grams ?? 0), 0) });
  }
  const byCustomer = new Map<string, number>();
  for (const o of all.filter((o) => inRange(o.createdAt))) byCustomer.set(o.customerId!, (byCustomer.get(o.customerId!) ?? 0) + 1);
  return {
    created: all.filter((o) => inRange(o.createdAt)).length,
    delivered: delivered.length,
    cancelled: all.filter((o) => inRange(o.cancelledAt)).length,
    failed: new Set([...failures.values()].filter((f) => inRange(f.at)).map((f) => f.orderId)).size,
    onTime: { delivered: windowed.length, onTime: windowed.filter((o) => o.deliveredAt! >= o.window!.start && o.deliveredAt! <= o.window!.end).length },
    revenue: [...revenue].filter(([, r]) => r.invoiced || r.paid).sort(([a], [b]) => a.localeCompare(b)),
    prices: [...prices].sort(([a], [b]) => a.localeCompare(b)),
    vehicles: [...vehicles].sort(([a], [b]) => a.localeCompare(b)),
    topCustomer: [...byCustomer].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0],
  };
}

describe.each(backends)('the analytics read models on %s', (backend) => {
  let live: AnalyticsDb;
  let figures: KpiFigures;
  const open = () => openAnalyticsDb(backend === 'postgres' ? postgresUrl : undefined);

  beforeAll(async () => {
    live = await open();
    await consume(live, history);
    figures = await kpiFigures(live.database, { orgId: ORG, range: RANGE, unit: 'month' });
  }, 600_000);
  afterAll(() => live?.close());

  it('given a quarter of events, then every KPI equals the same figure computed straight from the events', () => {
    const expected = expectedTotals(history, ORG, RANGE);
    const t = figures.totals;
    expect(expected.created).toBeGreaterThan(500);
    expect({ created: t.ordersCreated, delivered: t.ordersDelivered, cancelled: t.ordersCancelled, failed: t.ordersFailed }).toEqual({
      created: expected.created,
      delivered: expected.delivered,
      cancelled: expected.cancelled,
      failed: expected.failed,
    });
    expect(t.onTime).toMatchObject(expected.onTime);
    expect(t.revenue.map((r) => [r.currency, { invoiced: units(r.invoiced, 2), net: units(r.invoicedNet, 2), paid: units(r.paid, 2) }])).toEqual(expected.revenue);
    expect(t.averagePrice.map((p) => [p.currency, { orders: p.orders, cents: units(p.total, 2), metres: units(p.distanceKm, 3), grams: units(p.weightKg, 3) }])).toEqual(expected.prices);
    expect(t.vehicles.map((v) => [v.vehicleId, { routes: v.routes, stops: v.stops, metres: units(v.distanceKm, 3), grams: units(v.loadKg, 3) }])).toEqual(expected.vehicles);
    expect([figures.topCustomers[0]!.customerId, figures.topCustomers[0]!.orders]).toEqual(expected.topCustomer);
    // The monthly series adds up to the totals.
    expect(figures.periods.map((p) => p.start)).toEqual(['2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z', '2031-03-01T00:00:00.000Z']);
    expect(figures.periods.reduce((n, p) => n + p.ordersCreated, 0)).toBe(t.ordersCreated);
    expect(t.revenue.length).toBeGreaterThan(0);
    expect(t.vehicles.length).toBeGreaterThan(0);
  });

  it('given the same events shuffled and each delivered twice, then the figures are identical', async () => {
    const other = await open();
    try {
      await consume(other, shuffled([...history, ...history], 42));
      expect(await kpiFigures(other.database, { orgId: ORG, range: RANGE, unit: 'month' })).toEqual(figures);
      const [{ n }] = (await other.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EventLog"`)) as [{ n: number }];
      expect(n).toBe(history.length);
    } finally {
      await other.close();
    }
  }, 600_000);

  it('given another tenant, then its figures stay its own', async () => {
    const theirs = await kpiFigures(live.database, { orgId: OTHER, range: RANGE, unit: 'month' });
    expect(theirs.totals.ordersCreated).toBe(60);
    expect(theirs.topCustomers.map((c) => c.customerId)).not.toContain(figures.topCustomers[0]!.customerId);
  });

  it('rebuilds from its event log, all of it or one organization, and ends with the same figures', async () => {
    const before = await snapshotFigures(live.database);
    expect(Object.keys(before).sort()).toEqual([ORG, OTHER]);
    const progress: number[] = [];
    const all = await replayEventLog(databaseStore(live.database), { batchSize: 300, onProgress: (p) => progress.push(p.done) });
    expect(all.events).toBe(history.length);
    expect(progress.at(-1)).toBe(history.length);
    expect(progress.length).toBeGreaterThan(2);
    expect(compareSnapshots(before, await snapshotFigures(live.database))).toEqual([]);

    const one = await rebuildOrganization(prismaStore(live.db), OTHER);
    expect(one).toMatchObject({ identical: true, differences: [], events: history.filter((e) => e.envelope.orgid === OTHER).length });
    expect(compareSnapshots(before, await snapshotFigures(live.database))).toEqual([]);
  });

  it('tells a broken model from a sound one', async () => {
    const before = await snapshotFigures(live.database, ORG);
    await live.database.query(`DELETE FROM "FailureFact" WHERE "orgId" = $1::uuid`, [ORG]);
    expect(compareSnapshots(before, await snapshotFigures(live.database, ORG)).join('\n')).toContain('ordersFailed');
    expect(await rebuildOrganization(prismaStore(live.db), ORG)).toMatchObject({ identical: false });
    expect(compareSnapshots(before, await snapshotFigures(live.database, ORG))).toEqual([]);
  });
});
