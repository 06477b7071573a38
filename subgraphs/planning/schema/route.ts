import { referenceBatched } from '../../kernel/batching.ts';
import { badInput, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { Principal } from '../../kernel/auth/principal.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { DISPATCH_ROLES, mayReadVehicle, ROUTE_READ_ROLES, visibleRoutes } from '../domain/access.ts';
import { dayOf, dayStart } from '../domain/clock.ts';
import { RouteFilterSchema } from '../domain/route-input.ts';
import { assignDriver, startRoute } from '../services/route-commands.ts';
import { checkPageArgs } from './paging.ts';
import { UserRef } from './refs.ts';
import { RouteStatusType } from './route-status.ts';

export const RouteType = builder.prismaObject('Route', {
  description: "One vehicle's deliveries on one day, from its depot and back, in visiting order.",
  fields: (t) => ({
    id: t.exposeID('id'),
    date: t.string({ description: 'The day, "YYYY-MM-DD".', resolve: (r) => dayOf(r.date) }),
    status: t.expose('status', { type: RouteStatusType }),
    vehicle: t.relation('vehicle'),
    depot: t.relation('depot'),
    driver: t.field({
      type: UserRef,
      nullable: true,
      description: 'The assigned driver (resolved by iam).',
      resolve: (r) => (r.driverId ? { id: r.driverId } : null),
    }),
    distanceKm: t.exposeFloat('distanceKm', { description: 'Great-circle kilometres, depot to depot.' }),
    durationMin: t.exposeFloat('durationMin', { description: 'Minutes from leaving the depot to coming back, waits included.' }),
    cost: t.string({
      description: "Distance times the vehicle's cost per km, exact to the cent, in `currency`. Fleet staff only (FORBIDDEN for a driver).",
      nullable: true,
      // It gives away the vehicle's cost per km, which only fleet staff read.
      authScopes: (_r, _args, ctx) => !!ctx.principal && mayReadVehicle(ctx.principal, 'cost', false),
      select: { vehicle: { select: { costPerKm: true } } },
      resolve: (r) => r.vehicle.costPerKm.mul(r.distanceKm.toFixed(3)).toFixed(2),
    }),
    currency: t.string({ select: { vehicle: { select: { currency: true } } }, resolve: (r) => r.vehicle.currency }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'When the vehicle is planned to leave the depot.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    stops: t.relation('stops', { description: 'In visiting order.', query: { orderBy: { sequence: 'asc' } } }),
  }),
});

builder.asEntity(RouteType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx, info) => {
    const visible = ctx.principal && visibleRoutes(ctx.principal);
    return visible && isUuid(id) ? referenceBatched(ctx, info, 'Route', visible, id, (args) => ctx.db.route.findMany(args)) : null;
  },
});

/** The routes `routes` lists and counts; null when there are none to look for. */
function routesWhere(
  args: { date?: string | null; depotId?: string | null; vehicleId?: string | null; driverId?: string | null; first?: number | null; last?: number | null },
  ctx: { principal: Principal | null; authError?: string | undefined },
): Prisma.RouteWhereInput | null {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  const filter = parseInput(RouteFilterSchema, { date: args.date, depotId: args.depotId, vehicleId: args.vehicleId, driverId: args.driverId }, []);
  const visible = visibleRoutes(ctx.principal);
  if (!visible) throw forbidden();
  // A driver asking for someone else's routes gets an empty page, like any foreign id.
  if (visible.driverId && filter.driverId && filter.driverId !== visible.driverId) return null;
  return {
    ...(filter.driverId ? { driverId: filter.driverId } : {}),
    ...visible,
    ...(filter.date ? { date: dayStart(filter.date) } : {}),
    ...(filter.depotId ? { depotId: filter.depotId } : {}),
    ...(filter.vehicleId ? { vehicleId: filter.vehicleId } : {}),
  };
}

builder.queryFields((t) => ({
  route: t.prismaField({
    type: 'Route',
    nullable: true,
    description: "A route by id; null when it does not exist or is not the caller's to see.",
    authScopes: { anyRole: ROUTE_READ_ROLES },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => {
      if (!isUuid(id)) throw badInput('id is not a valid route id.', ['id']);
      const visible = visibleRoutes(ctx.principal!);
      return visible ? ctx.db.route.findFirst({ ...query, where: { id, ...visible } }) : null;
    },
  }),
  routes: t.prismaConnection(
    {
      type: 'Route',
      cursor: 'id',
      description: "Routes newest first, optionally of one day, depot, vehicle or driver (a dispatcher's board: a depot's day). Drivers see only their own.",
      authScopes: { anyRole: ROUTE_READ_ROLES },
      args: { date: t.arg.string({ description: '"YYYY-MM-DD"' }), depotId: t.arg.id(), vehicleId: t.arg.id(), driverId: t.arg.id() },
      resolve: (query, _root, args, ctx) => {
        const where = routesWhere(args, ctx);
        return where ? ctx.db.route.findMany({ ...query, where, orderBy: { id: 'desc' } }) : [];
      },
      // A fleet's routes: one per vehicle and day, counted on the (orgId, date) or (orgId, driverId) index.
      totalCount: async (_connection, args, ctx) => {
        const where = routesWhere(args, ctx);
        return where ? ctx.db.route.count({ where }) : 0;
      },
    },
    { name: 'RouteConnection' },
    { name: 'RouteEdge' },
  ),
}));

builder.mutationFields((t) => ({
  assignDriver: t.prismaField({
    type: 'Route',
    description: 'Gives the route to a driver (an iam user with the DRIVER role) of the same organization.',
    authScopes: { anyRole: DISPATCH_ROLES },
    args: { routeId: t.arg.id({ required: true }), driverId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { routeId, driverId }, ctx) => {
      if (!isUuid(routeId)) throw notFound('Route', ['routeId']);
      if (!isUuid(driverId)) throw notFound('Driver', ['driverId']);
      const route = await assignDriver(ctx.services.commit, ctx.principal!, routeId, driverId, { now: ctx.now(), traceparent: ctx.traceparent });
      return ctx.db.route.findUniqueOrThrow({ ...query, where: { id: route.id } });
    },
  }),
  startRoute: t.prismaField({
    type: 'Route',
    description: 'The driver leaves the depot; every order on the route goes in transit. Dispatchers or the assigned driver.',
    authScopes: { anyRole: [...DISPATCH_ROLES, 'DRIVER'] },
    args: { routeId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { routeId }, ctx) => {
      if (!isUuid(routeId)) throw notFound('Route', ['routeId']);
      const id = await startRoute(ctx.services.commit, ctx.principal!, routeId, { now: ctx.now(), traceparent: ctx.traceparent });
      return ctx.db.route.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
