import { unauthenticated } from '../../platform/errors.ts';
import { builder } from '../builder.ts';
import { REBUILD_ROLES } from '../domain/access.ts';
import { rebuildOrganization, type OrganizationRebuild } from '../services/rebuild.ts';
import { prismaStore } from '../services/store.ts';

export const KpiRebuildType = builder.objectRef<OrganizationRebuild>('KpiRebuild').implement({
  description: "The outcome of rebuilding an organization's read models from analytics' event log.",
  fields: (t) => ({
    events: t.exposeInt('events', { description: 'Events replayed.' }),
    seconds: t.exposeFloat('seconds'),
    identical: t.exposeBoolean('identical', { description: 'The figures (all time, by month) are what they were before.' }),
    differences: t.exposeStringList('differences', { description: 'Where they differ (at most 50), e.g. "<org>.totals.ordersCreated: 12 != 13".' }),
  }),
});

builder.mutationFields((t) => ({
  rebuildKpis: t.field({
    type: KpiRebuildType,
    description:
      "Rebuilds the caller's organization's KPIs from scratch by replaying every event analytics has logged for it, then compares the figures with those before (ADMIN). For a very large history use `npm run analytics:rebuild` instead: this runs inside the request.",
    authScopes: { anyRole: REBUILD_ROLES },
    resolve: (_root, _args, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      return rebuildOrganization(prismaStore(ctx.db), ctx.principal.orgId);
    },
  }),
}));
