/**
 * A whole KPI answer as plain data, in the same shape the GraphQL fields return: what the rebuild
 * compares before and after, and what tests compare with the live answers through the gateway.
 */
import type { DateRange } from '../../platform/date-range.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { periodKey, periodsIn, type Period, type PeriodUnit } from '../domain/periods.ts';
import { kpiSource, TOTAL, type Counts, type CustomerRow, type KpiSource, type PriceRow, type RevenueRow, type VehicleRow } from './kpi-source.ts';

export interface PeriodFigures {
  start: string;
  end: string;
  ordersCreated: number;
  ordersDelivered: number;
  ordersFailed: number;
  ordersCancelled: number;
  onTime: { delivered: number; onTime: number; rate: number | null };
  revenue: RevenueRow[];
  averagePrice: PriceRow[];
  vehicles: VehicleRow[];
}

export interface KpiFigures {
  periods: PeriodFigures[];
  totals: PeriodFigures;
  topCustomers: CustomerRow[];
}

export const EMPTY_COUNTS: Counts = { created: 0, delivered: 0, failed: 0, cancelled: 0, withWindow: 0, onTime: 0 };

/** The on-time rate: deliveries inside their window over deliveries that had one; null without any. */
export const onTimeOf = (c: Counts) => ({ delivered: c.withWindow, onTime: c.onTime, rate: c.withWindow ? c.onTime / c.withWindow : null });

/** The key a period's figures are found under in a source (the whole range for totals). */
export const keyOf = (source: KpiSource, period: Period) => (source.scope.unit ? periodKey(period.start) : TOTAL);

export async function periodFigures(source: KpiSource, period: Period): Promise<PeriodFigures> {
  const key = keyOf(source, period);
  const [counts, revenue, prices, vehicles] = await Promise.all([source.counts(), source.revenue(), source.prices(), source.vehicles()]);
  const c = counts.get(key) ?? EMPTY_COUNTS;
  return {
    start: period.start.toISOString(),
    end: period.end.toISOString(),
    ordersCreated: c.created,
    ordersDelivered: c.delivered,
    ordersFailed: c.failed,
    ordersCancelled: c.cancelled,
    onTime: onTimeOf(c),
    revenue: revenue.get(key) ?? [],
    averagePrice: prices.get(key) ?? [],
    vehicles: vehicles.get(key) ?? [],
  };
}

/**
 * Every figure of one organization over a range. `onlyActive` keeps just the periods where
 * something happened (for all-time snapshots, where most periods are empty).
 */
export async function kpiFigures(
  sql: SqlExecutor,
  options: { orgId: string; range: DateRange; unit: PeriodUnit; topCustomers?: number; onlyActive?: boolean },
): Promise<KpiFigures> {
  const { orgId, range, unit } = options;
  const series = kpiSource(sql, { orgId, range, unit });
  const whole = kpiSource(sql, { orgId, range, unit: null });
  let periods = periodsIn(range, unit);
  if (options.onlyActive) {
    const maps = await Promise.all([series.counts(), series.revenue(), series.prices(), series.vehicles()]);
    const active = new Set(maps.flatMap((m) => [...m.keys()]));
    periods = periods.filter((p) => active.has(periodKey(p.start)));
  }
  const figures: PeriodFigures[] = [];
  for (const period of periods) figures.push(await periodFigures(series, period));
  return {
    periods: figures,
    totals: await periodFigures(whole, { start: range.from, end: range.to }),
    topCustomers: await whole.topCustomers(options.topCustomers ?? 10),
  };
}
