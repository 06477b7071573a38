import { unauthenticated } from '../../platform/errors.ts';
import { builder } from '../builder.ts';
import { DISPATCH_ROLES } from '../domain/access.ts';
import { checkPageArgs } from './paging.ts';
import { OrderRef } from './refs.ts';

export const PlanningOrderType = builder.prismaObject('PlanningOrder', {
  description: 'An order waiting in the planning pool, as planning learned it from orders.',
  fields: (t) => ({
    order: t.field({ type: OrderRef, description: 'The order itself (resolved by orders).', resolve: (o) => ({ id: o.orderId }) }),
    reference: t.exposeString('reference', { nullable: true }),
    dropoffCity: t.exposeString('dropoffCity'),
    dropoffLat: t.exposeFloat('dropoffLat'),
    dropoffLon: t.exposeFloat('dropoffLon'),
    weightKg: t.float({ resolve: (o) => o.weightKg.toNumber() }),
    volumeM3: t.float({ nullable: true, description: 'Known when every parcel has its dimensions.', resolve: (o) => o.volumeM3?.toNumber() ?? null }),
    windowStart: t.expose('windowStart', { type: 'DateTime', nullable: true }),
    windowEnd: t.expose('windowEnd', { type: 'DateTime', nullable: true }),
  }),
});

/** The rows the pool lists and counts. */
function poolWhere(args: { first?: number | null; last?: number | null }, ctx: { principal: { orgId: string } | null; authError?: string | undefined }) {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  return { orgId: ctx.principal.orgId, status: 'PENDING' as const };
}

builder.queryFields((t) => ({
  planningPool: t.prismaConnection(
    {
      type: 'PlanningOrder',
      cursor: 'orderId',
      description: 'Orders waiting to be planned (new, or back after a failed delivery), oldest first.',
      authScopes: { anyRole: DISPATCH_ROLES },
      resolve: (query, _root, args, ctx) => ctx.db.planningOrder.findMany({ ...query, where: poolWhere(args, ctx), orderBy: { orderId: 'asc' } }),
      // What waits to be planned: about a day's orders, counted on the (orgId, status) index.
      totalCount: (_connection, args, ctx) => ctx.db.planningOrder.count({ where: poolWhere(args, ctx) }),
    },
    { name: 'PlanningOrderConnection' },
    { name: 'PlanningOrderEdge' },
  ),
}));
