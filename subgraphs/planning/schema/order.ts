import { builder } from '../builder.ts';
import { visibleRoutes } from '../domain/access.ts';
import { byIdBatched } from '../../kernel/batching.ts';
import { currentStop } from '../services/current-stop.ts';
import { OrderRef } from './refs.ts';

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
    description: 'When the delivery is planned to arrive; null when not planned or already delivered.',
    resolve: async (order, _args, ctx) => {
      if (!ctx.principal) return null;
      const stop = await currentStop(ctx, ctx.principal.orgId, order.id);
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
      const stop = await currentStop(ctx, visible.orgId, order.id);
      return stop ? byIdBatched(ctx, 'Stop', query, { route: visible }, stop.id, (args) => ctx.db.stop.findMany(args)) : null;
    },
  }),
}));
