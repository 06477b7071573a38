import { builder } from '../builder.ts';
import { KPI_ROLES } from '../domain/access.ts';
import { KpiGroupingType } from './kpi-grouping.ts';
import { KpiRangeInput } from './kpi-range.ts';
import { kpisOf, KpisType } from './kpis.ts';
import { OrganizationRef } from './refs.ts';

builder.objectFields(OrganizationRef, (t) => ({
  kpis: t.field({
    type: KpisType,
    nullable: true,
    description: "The organization's KPIs over a range; null for any organization but the caller's.",
    authScopes: { anyRole: KPI_ROLES },
    args: {
      range: t.arg({ type: KpiRangeInput, required: true }),
      groupBy: t.arg({ type: KpiGroupingType, required: true }),
    },
    // Tenant-scoped like every lookup: another organization's id answers as an unknown one would.
    resolve: (org, args, ctx) => (ctx.principal && ctx.principal.orgId === org.id ? kpisOf(ctx, org.id, args) : null),
  }),
}));
