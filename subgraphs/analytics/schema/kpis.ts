import { unauthenticated } from '../../platform/errors.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { DateRange } from '../../platform/date-range.ts';
import type { SubgraphContext } from '../../kernel/builder.ts';
import { builder } from '../builder.ts';
import { KPI_ROLES } from '../domain/access.ts';
import { kpiRange, topCustomersLimit, TOP_CUSTOMERS } from '../domain/kpi-input.ts';
import { periodsIn, unitOf, type Grouping } from '../domain/periods.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { kpiSource, type KpiSource } from '../services/kpi-source.ts';
import type { AnalyticsServices } from '../services/index.ts';
import { KpiCustomerType } from './kpi-customer.ts';
import { KpiGroupingType } from './kpi-grouping.ts';
import { KpiPeriodType } from './kpi-period.ts';
import { KpiRangeInput } from './kpi-range.ts';

interface KpisParent {
  range: DateRange;
  groupBy: Grouping;
  /** Grouped by period, and over the whole range. */
  series: KpiSource;
  whole: KpiSource;
}

type Ctx = SubgraphContext<PrismaClient, AnalyticsServices>;

/** The KPIs of one organization (the caller's: checked by the callers of this). */
export function kpisOf(ctx: Ctx, orgId: string, args: { range: { from: Date; to: Date }; groupBy: Grouping }): KpisParent {
  const range = kpiRange(args.range, ctx.services.maxRangeDays);
  const sql = prismaSql(ctx.db);
  return {
    range,
    groupBy: args.groupBy,
    series: kpiSource(sql, { orgId, range, unit: unitOf(args.groupBy) }),
    whole: kpiSource(sql, { orgId, range, unit: null }),
  };
}

export const KpisType = builder.objectRef<KpisParent>('Kpis').implement({
  description: "An organization's numbers over a range, from the read models analytics builds out of every domain's events.",
  fields: (t) => ({
    from: t.field({ type: 'DateTime', resolve: (k) => k.range.from }),
    to: t.field({ type: 'DateTime', description: 'Exclusive.', resolve: (k) => k.range.to }),
    groupBy: t.field({ type: KpiGroupingType, resolve: (k) => k.groupBy }),
    periods: t.field({
      type: [KpiPeriodType],
      description: 'Every period overlapping the range, in order, empty ones included.',
      resolve: (k) => periodsIn(k.range, unitOf(k.groupBy)).map((period) => ({ period, source: k.series })),
    }),
    totals: t.field({ type: KpiPeriodType, description: 'The whole range as one period.', resolve: (k) => ({ period: { start: k.range.from, end: k.range.to }, source: k.whole }) }),
    topCustomers: t.field({
      type: [KpiCustomerType],
      description: 'Customers with the most orders created in the range (ties by id).',
      args: { limit: t.arg.int({ description: `1 to ${TOP_CUSTOMERS.max}; default ${TOP_CUSTOMERS.default}.` }) },
      resolve: (k, args) => k.whole.topCustomers(topCustomersLimit(args.limit)),
    }),
  }),
});


builder.queryFields((t) => ({
  kpis: t.field({
    type: KpisType,
    description: "The caller's organization's KPIs over a range (ADMIN, DISPATCHER, FINANCE, AUDITOR).",
    authScopes: { anyRole: KPI_ROLES },
    args: {
      range: t.arg({ type: KpiRangeInput, required: true }),
      groupBy: t.arg({ type: KpiGroupingType, required: true }),
    },
    resolve: (_root, args, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      return kpisOf(ctx, ctx.principal.orgId, args);
    },
  }),
}));
