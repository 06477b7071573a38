import { describe, expect, it } from 'vitest';
import { DEMO } from '../../subgraphs/iam/seed.ts';
import { parseArgs, resolveOptions } from '../seed-scale.ts';
import { UsageError } from '../lib/command-line.ts';
import { generateDay } from './day.ts';
import { planTenants, type ScaleOptions } from './tenants.ts';

const OPTIONS: ScaleOptions = { orders: 3_000, tenants: 5, days: 10, seed: 7, start: '2030-01-01T00:00:00.000Z' };

describe('the scale seed generator', () => {
  const tenants = planTenants(OPTIONS);

  it('given the same options, then a day comes out the same (what resuming relies on)', () => {
    expect(JSON.stringify(generateDay(OPTIONS, planTenants(OPTIONS), 3))).toBe(JSON.stringify(generateDay(OPTIONS, tenants, 3)));
  });

  it('given all days, then every order is made once, and the demo tenant holds a tenth', () => {
    const days = Array.from({ length: OPTIONS.days }, (_, d) => generateDay(OPTIONS, tenants, d));
    const orders = days.flatMap((d) => d.orderRows.Order);
    expect(new Set(orders.map((o) => o.id)).size).toBe(OPTIONS.orders);
    expect(orders.filter((o) => o.orgId === DEMO.organization.id)).toHaveLength(OPTIONS.orders / 10);
  });

  it('given a settled day, then each order history ends in its status, and only delivered orders are on invoices', () => {
    const day = generateDay(OPTIONS, tenants, 2);
    const status = new Map(day.orderRows.Order.map((o) => [o.id, o.status]));
    const last = new Map<unknown, unknown>();
    for (const change of day.orderRows.OrderStatusChange) last.set(change.orderId, change.to);
    expect(last).toEqual(status);
    const invoiced = day.invoices.flatMap((i) => i.lines.map((l) => l.orderId));
    expect(invoiced.length).toBeGreaterThan(0);
    for (const id of invoiced) expect(status.get(id)).toBe('DELIVERED');
    // Every planned order is a stop of exactly one route of its tenant.
    const stops = day.planning.Stop.map((s) => s.orderId);
    expect(new Set(stops).size).toBe(stops.length);
    expect(day.orderRows.Order.filter((o) => o.routeId).map((o) => o.id).sort()).toEqual([...stops].sort());
  });

  it('given the last day, then its orders are still open (the planning pool)', () => {
    const statuses = new Set(generateDay(OPTIONS, tenants, OPTIONS.days - 1).orderRows.Order.map((o) => o.status));
    expect([...statuses].sort()).toEqual(['CREATED', 'PLANNED']);
  });
});

describe('seed:scale options', () => {
  it('given no --orders or a bad number, then a usage error names it', () => {
    expect(() => parseArgs([])).toThrow(/--orders is required/);
    expect(() => parseArgs(['--orders', '1e6'])).toThrow(UsageError);
    expect(() => parseArgs(['--orders', '10', '--start', '2030-13-45'])).toThrow(/--start/);
  });

  it('given options recorded by an earlier run, then the start is kept and a different size is refused', () => {
    const args = parseArgs(['--orders', '3000', '--tenants', '5', '--days', '10', '--seed', '7']) as Exclude<ReturnType<typeof parseArgs>, 'help'>;
    expect(resolveOptions(args, OPTIONS, new Date('2031-06-01T10:00:00Z'))).toEqual(OPTIONS);
    expect(() => resolveOptions({ ...args, orders: 4000 }, OPTIONS, new Date())).toThrow(/seeded with --orders 3000/);
    expect(resolveOptions(args, undefined, new Date('2031-06-01T10:00:00Z')).start).toBe('2031-05-22T00:00:00.000Z');
  });
});
