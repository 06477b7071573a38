import type { Principal } from '../../kernel/auth/principal.ts';
import { builder } from '../builder.ts';
import { mayReadEta, visibleRoutes } from '../domain/access.ts';
import { byIdBatched, loadBatched } from '../../kernel/batching.ts';
import { forbidden } from '../../platform/errors.ts';
import type { PrismaClient, Stop } from '../generated/prisma/client.ts';
import { currentStop } from '../services/current-stop.ts';
import { ProofOfDeliveryType, proofOf } from './proof-of-delivery.ts';
import { OrderRef } from './refs.ts';

/**
 * Throws FORBIDDEN unless the caller follows the order's delivery (staff, the customer it was
 * placed for, the driver of its route). Checked per order, because `_entities` names any id:
 * a planned arrival tells where a route goes when, a proof who took the parcels.
 */
async function assertFollows(ctx: { db: PrismaClient }, principal: Principal, orderId: string, stop: Stop): Promise<void> {
  // Staff read every order's delivery whoever its customer and driver are: no ownership to look up.
  if (mayReadEta(principal, { customerId: null, driverId: null })) return;
  const orgId = principal.orgId;
  const [pooled, route] = await Promise.all([
    loadBatched(ctx, `pool-customer:${orgId}`, orderId, async (ids) =>
      new Map((await ctx.db.planningOrder.findMany({ where: { orgId, orderId: { in: ids } }, select: { orderId: true, customerId: true } })).map((p) => [p.orderId, p])),
    ),
    loadBatched(ctx, `route-driver:${orgId}`, stop.routeId, async (ids) =>
      new Map((await ctx.db.route.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, driverId: true } })).map((r) => [r.id, r])),
    ),
  ]);
  if (!mayReadEta(principal, { customerId: pooled?.customerId ?? null, driverId: route?.driverId ?? null })) throw forbidden();
}

// A list of orders reaches planning as one `_entities` call: every lookup below is batched per
// request (kernel/batching.ts), so N orders cost a fixed number of queries, not N.
builder.objectFields(OrderRef, (t) => ({
  route: t.prismaField({
    type: 'Route',
    nullable: true,
    description: 'The route that delivers the order, for those who may see routes; null when not planned.',
    resolve: async (query, order, _args, ctx) => {
      const visible = ctx.principal && visibleRoutes(ctx.principal);
      if (!visible) return null;
      const stop = await currentStop(ctx, visible.orgId, order.id);
      return stop ? byIdBatched(ctx, 'Route', query, visible, stop.routeId, (args) => ctx.db.route.findMany(args)) : null;
    },
  }),
  eta: t.field({
    type: 'DateTime',
    nullable: true,
    description:
      'When the delivery is planned to arrive; null when not planned or already delivered. For staff, the customer it was placed for and the driver of its route; FORBIDDEN for anyone else.',
    resolve: async (order, _args, ctx) => {
      if (!ctx.principal) return null;
      const stop = await currentStop(ctx, ctx.principal.orgId, order.id);
      if (stop?.status !== 'PENDING') return null;
      await assertFollows(ctx, ctx.principal, order.id, stop);
      return stop.plannedArrival;
    },
  }),
  proofOfDelivery: t.field({
    type: ProofOfDeliveryType,
    nullable: true,
    description:
      'Who took the parcels and when, once delivered; null before. For staff, the customer it was placed for and the driver of its route; FORBIDDEN for anyone else.',
    resolve: async (order, _args, ctx) => {
      if (!ctx.principal) return null;
      const proof = proofOf(await currentStop(ctx, ctx.principal.orgId, order.id));
      if (!proof) return null;
      await assertFollows(ctx, ctx.principal, order.id, proof);
      return proof;
    },
  }),
  stop: t.prismaField({
    type: 'Stop',
    nullable: true,
    description: 'Its stop on that route, with proof of delivery once delivered.',
    resolve: async (query, order, _args, ctx) => {
      const visible = ctx.principal && visibleRoutes(ctx.principal);
      if (!visible) return null;
      const stop = await currentStop(ctx, visible.orgId, order.id);
      return stop ? byIdBatched(ctx, 'Stop', query, { route: visible }, stop.id, (args) => ctx.db.stop.findMany(args)) : null;
    },
  }),
}));
