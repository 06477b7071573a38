/**
 * The KPI queries: each aggregates the fact tables of one organization over a half-open range
 * with GROUP BY date_trunc (UTC), on the (orgId, instant) indexes. Sums and ratios are computed
 * by PostgreSQL in exact numeric and returned as text, so money never passes through a float.
 * A source memoizes each query, so a GraphQL request runs only the ones its selection needs,
 * and each once.
 */
import type { DateRange } from '../../platform/date-range.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import type { PeriodUnit } from '../domain/periods.ts';

export interface KpiScope {
  orgId: string;
  range: DateRange;
  /** null: one bucket for the whole range (its key is TOTAL). */
  unit: PeriodUnit | null;
}

export const TOTAL = 'total';

export interface Counts {
  created: number;
  delivered: number;
  failed: number;
  cancelled: number;
  /** Delivered orders that had a delivery window, and those delivered inside it. */
  withWindow: number;
  onTime: number;
}

export interface RevenueRow {
  currency: string;
  /** Issued, not voided: gross (with tax) and net; credit notes count negative. */
  invoiced: string;
  invoicedNet: string;
  invoices: number;
  /** Paid in the period, not voided (gross). */
  paid: string;
  paidInvoices: number;
}

export interface PriceRow {
  currency: string;
  /** Quoted orders created in the period and not cancelled. */
  orders: number;
  total: string;
  distanceKm: string;
  weightKg: string;
  /** total / distance and total / weight, rounded half away from zero to 4 places; null when dividing by 0. */
  perKm: string | null;
  perKg: string | null;
}

export interface VehicleRow {
  vehicleId: string;
  routes: number;
  stops: number;
  distanceKm: string;
  /** The weight of the orders on its routes. */
  loadKg: string;
  averageLoadKg: string;
}

export interface CustomerRow {
  customerId: string;
  orders: number;
  delivered: number;
  /** Invoiced (issued in the range, not voided), gross, per currency. */
  revenue: Array<{ currency: string; amount: string }>;
}

export interface KpiSource {
  readonly scope: KpiScope;
  counts(): Promise<Map<string, Counts>>;
  revenue(): Promise<Map<string, RevenueRow[]>>;
  prices(): Promise<Map<string, PriceRow[]>>;
  vehicles(): Promise<Map<string, VehicleRow[]>>;
  topCustomers(limit: number): Promise<CustomerRow[]>;
}

const memo = <T>(load: () => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
};

export function kpiSource(sql: SqlExecutor, scope: KpiScope): KpiSource {
  const customers = new Map<number, Promise<CustomerRow[]>>();
  return {
    scope,
    counts: memo(() => loadCounts(sql, scope)),
    revenue: memo(() => loadRevenue(sql, scope)),
    prices: memo(() => loadPrices(sql, scope)),
    vehicles: memo(() => loadVehicles(sql, scope)),
    topCustomers: (limit) => {
      const cached = customers.get(limit) ?? loadTopCustomers(sql, scope, limit);
      customers.set(limit, cached);
      return cached;
    },
  };
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * How rows fall into periods: grouped by date_trunc of the UTC wall time (cheaper than the
 * time-zone form, and independent of the session's zone), labelled once per group as
 * periodKey() names it; with no unit, one group for the whole range. The unit comes from a
 * closed set, so it may be written into the SQL.
 */
function buckets(unit: PeriodUnit | null, column: string): { label: string; group: string[] } {
  if (!unit) return { label: `'${TOTAL}'`, group: [] };
  const truncated = `date_trunc('${unit}', ${column} AT TIME ZONE 'UTC')`;
  return { label: `to_char(${truncated}, ${ISO})`, group: [truncated] };
}
const groupBy = (...expressions: string[]) => (expressions.length ? `GROUP BY ${expressions.join(', ')}` : '');

/** $1 org, $2 from, $3 to: the tenant and the range every query filters on. */
const inRange = (column: string) => `"orgId" = $1::uuid AND ${column} >= $2::timestamptz AND ${column} < $3::timestamptz`;
const params = (scope: KpiScope) => [scope.orgId, scope.range.from.toISOString(), scope.range.to.toISOString()];

const byBucket = <T extends { bucket: string }, V>(rows: T[], map: (row: T) => V) => {
  const out = new Map<string, V[]>();
  for (const row of rows) {
    const list = out.get(row.bucket) ?? [];
    list.push(map(row));
    out.set(row.bucket, list);
  }
  return out;
};

async function loadCounts(sql: SqlExecutor, scope: KpiScope): Promise<Map<string, Counts>> {
  const created = buckets(scope.unit, '"createdAt"');
  const delivered = buckets(scope.unit, '"deliveredAt"');
  const cancelled = buckets(scope.unit, '"cancelledAt"');
  const failed = buckets(scope.unit, '"failedAt"');
  const rows = await sql.query<{ kind: keyof Counts; bucket: string; n: number; with_window: number; on_time: number }>(
    `SELECT 'created' AS kind, ${created.label} AS bucket, count(*)::int AS n, 0 AS with_window, 0 AS on_time
       FROM "OrderFact" WHERE ${inRange('"createdAt"')} ${groupBy(...created.group)}
     UNION ALL
     SELECT 'delivered', ${delivered.label}, count(*)::int,
            count(*) FILTER (WHERE "windowEnd" IS NOT NULL)::int,
            -- on time: delivered inside the requested window, both ends included
            count(*) FILTER (WHERE "deliveredAt" >= "windowStart" AND "deliveredAt" <= "windowEnd")::int
       FROM "OrderFact" WHERE ${inRange('"deliveredAt"')} ${groupBy(...delivered.group)}
     UNION ALL
     SELECT 'cancelled', ${cancelled.label}, count(*)::int, 0, 0 FROM "OrderFact" WHERE ${inRange('"cancelledAt"')} ${groupBy(...cancelled.group)}
     UNION ALL
     SELECT 'failed', ${failed.label}, count(DISTINCT "orderId")::int, 0, 0 FROM "FailureFact" WHERE ${inRange('"failedAt"')} ${groupBy(...failed.group)}`,
    params(scope),
  );
  const out = new Map<string, Counts>();
  for (const row of rows) {
    const counts = out.get(row.bucket) ?? { created: 0, delivered: 0, failed: 0, cancelled: 0, withWindow: 0, onTime: 0 };
    counts[row.kind] = row.n;
    if (row.kind === 'delivered') Object.assign(counts, { withWindow: row.with_window, onTime: row.on_time });
    out.set(row.bucket, counts);
  }
  return out;
}

async function loadRevenue(sql: SqlExecutor, scope: KpiScope): Promise<Map<string, RevenueRow[]>> {
  // Issued and paid fall into periods by different instants: one row per invoice and instant.
  const issued = buckets(scope.unit, '"issuedAt"');
  const paid = buckets(scope.unit, '"paidAt"');
  const rows = await sql.query<{ bucket: string; currency: string; invoiced: string; net: string; invoices: number; paid: string; paid_n: number }>(
    `SELECT bucket, currency, sum(invoiced)::numeric(16, 2)::text AS invoiced, sum(net)::numeric(16, 2)::text AS net,
            sum(n)::int AS invoices, sum(paid)::numeric(16, 2)::text AS paid, sum(paid_n)::int AS paid_n
       FROM (SELECT ${issued.label} AS bucket, currency, sum(total) AS invoiced, sum(subtotal) AS net, count(*) AS n, 0::numeric AS paid, 0 AS paid_n
               FROM "InvoiceFact" WHERE ${inRange('"issuedAt"')} AND "voidedAt" IS NULL ${groupBy(...issued.group, 'currency')}
             UNION ALL
             SELECT ${paid.label}, currency, 0, 0, 0, sum(total), count(*)
               FROM "InvoiceFact" WHERE ${inRange('"paidAt"')} AND "voidedAt" IS NULL ${groupBy(...paid.group, 'currency')}) AS money
      GROUP BY 1, 2 ORDER BY 1, 2`,
    params(scope),
  );
  return byBucket(rows, (r) => ({ currency: r.currency, invoiced: r.invoiced, invoicedNet: r.net, invoices: r.invoices, paid: r.paid, paidInvoices: r.paid_n }));
}

async function loadPrices(sql: SqlExecutor, scope: KpiScope): Promise<Map<string, PriceRow[]>> {
  const created = buckets(scope.unit, '"createdAt"');
  const rows = await sql.query<{ bucket: string; currency: string; orders: number; total: string; km: string; kg: string; per_km: string | null; per_kg: string | null }>(
    `SELECT ${created.label} AS bucket, "quoteCurrency" AS currency, count(*)::int AS orders,
            sum("quoteTotal")::text AS total, sum("quoteDistanceKm")::text AS km, sum("weightKg")::text AS kg,
            round(sum("quoteTotal") / NULLIF(sum("quoteDistanceKm"), 0), 4)::text AS per_km,
            round(sum("quoteTotal") / NULLIF(sum("weightKg"), 0), 4)::text AS per_kg
       FROM "OrderFact" WHERE ${inRange('"createdAt"')} AND "cancelledAt" IS NULL AND "quoteTotal" IS NOT NULL
      ${groupBy(...created.group, '"quoteCurrency"')} ORDER BY 1, 2`,
    params(scope),
  );
  return byBucket(rows, (r) => ({ currency: r.currency, orders: r.orders, total: r.total, distanceKm: r.km, weightKg: r.kg, perKm: r.per_km, perKg: r.per_kg }));
}

async function loadVehicles(sql: SqlExecutor, scope: KpiScope): Promise<Map<string, VehicleRow[]>> {
  const day = buckets(scope.unit, 'r."date"');
  // The routes of the range first, then their loads in one hash join (not a lookup per route).
  const rows = await sql.query<{ bucket: string; vehicle_id: string; routes: number; stops: number; km: string; load: string; avg_load: string }>(
    `WITH routes AS (
       SELECT ${day.label} AS bucket, r."routeId", r."vehicleId", r."stops", r."distanceKm"
         FROM "RouteFact" r WHERE r.${inRange('"date"')}),
     loads AS (
       SELECT s."routeId", sum(o."weightKg") AS load
         FROM routes JOIN "RouteStopFact" s ON s."routeId" = routes."routeId"
         JOIN "OrderFact" o ON o."orderId" = s."orderId" AND o."orgId" = s."orgId"
        GROUP BY s."routeId")
     SELECT bucket, "vehicleId"::text AS vehicle_id, count(*)::int AS routes, sum("stops")::int AS stops,
            sum("distanceKm")::text AS km, COALESCE(sum(load), 0)::numeric(16, 3)::text AS load,
            round(avg(COALESCE(load, 0)), 3)::text AS avg_load
       FROM routes LEFT JOIN loads USING ("routeId") GROUP BY 1, 2 ORDER BY 1, 2`,
    params(scope),
  );
  return byBucket(rows, (r) => ({ vehicleId: r.vehicle_id, routes: r.routes, stops: r.stops, distanceKm: r.km, loadKg: r.load, averageLoadKg: r.avg_load }));
}

async function loadTopCustomers(sql: SqlExecutor, scope: KpiScope, limit: number): Promise<CustomerRow[]> {
  const top = await sql.query<{ customer_id: string; orders: number; delivered: number }>(
    `SELECT "customerId"::text AS customer_id, count(*)::int AS orders, count("deliveredAt")::int AS delivered
       FROM "OrderFact" WHERE ${inRange('"createdAt"')} AND "customerId" IS NOT NULL
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $4::int`,
    [...params(scope), limit],
  );
  if (!top.length) return [];
  const revenue = await sql.query<{ customer_id: string; currency: string; amount: string }>(
    `SELECT "customerId"::text AS customer_id, currency, sum(total)::text AS amount
       FROM "InvoiceFact" WHERE ${inRange('"issuedAt"')} AND "voidedAt" IS NULL
        AND "customerId" = ANY(string_to_array($4, ',')::uuid[])
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [...params(scope), top.map((t) => t.customer_id).join(',')],
  );
  return top.map((t) => ({
    customerId: t.customer_id,
    orders: t.orders,
    delivered: t.delivered,
    revenue: revenue.filter((r) => r.customer_id === t.customer_id).map((r) => ({ currency: r.currency, amount: r.amount })),
  }));
}
