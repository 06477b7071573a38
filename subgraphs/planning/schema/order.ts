import { builder } from '../builder.ts';
import { visibleRoutes } from '../domain/access.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { OrderRef } from './refs.ts';

/**
 * The order's current stop: the newest one that did not fail (a failed delivery sends the order
 * back to the pool, so the stop of its next route replaces it). Always inside the caller's tenant.
 */
const currentStop = (db: PrismaClient, orgId: string, orderId: string) =>
  db.stop.findFirst({ where: { orgId, orderId, status: { not: 'FAILED' } }, orderBy: { id: 'desc' } });

builder.objectFields(OrderRef, (t) => ({
  route: t.prismaField({
    type: 'Route',
    nullable: true,
    description: 'The route that delivers the order, for those who may see routes; null when not planned.',
    resolve: async (query, order, _args, ctx) => {
      const visible = ctx.principal && visibleRoutes(ctx.principal);
      if (!visible) return null;
      const stop = await currentStop(ctx.db, visible.orgId, order.id);
      return stop ? ctx.db.route.findFirst({ ...query, where: { id: stop.routeId, ...visible } }) : null;
    },
  }),
  eta: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the delivery is planned to arrive; null when not planned or already delivered.',
    resolve: async (order, _args, ctx) => {
      if (!ctx.principal) return null;
      const stop = await currentStop(ctx.db, ctx.principal.orgId, order.id);
      return stop?.status === 'PENDING' ? stop.plannedArrival : null;
    },
  }),
  stop: t.prismaField({
    type: 'Stop',
    nullable: true,
    description: 'Its stop on that route, with proof of delivery once delivered.',
    resolve: async (query, order, _args, ctx) => {
      const visible = ctx.principal && visibleRoutes(ctx.principal);
      if (!visible) return null;
      const stop = await currentStop(ctx.db, visible.orgId, order.id);
      if (!stop) return null;
      return ctx.db.stop.findFirst({ ...query, where: { id: stop.id, route: visible } });
    },
  }),
}));
