import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { DISPATCH_ROLES } from '../domain/access.ts';
import type { UnservedOrder } from '../domain/plan-day.ts';
import { PLAN_TIME_LIMIT, PlanDayArgsSchema } from '../domain/route-input.ts';
import { runPlanDay, runReplanDay, type PlanDayOutcome } from '../services/plan-day.ts';
import { OrderRef } from './refs.ts';

export const UnservedReasonType = builder.enumType('UnservedReason', {
  description: 'Why an order of the pool is on no route of the plan.',
  values: {
    DEMAND_EXCEEDS_CAPACITY: { description: 'No vehicle of the depot can carry its weight or volume.' },
    TIME_WINDOW_UNREACHABLE: { description: 'No vehicle can reach it inside its window and be back before its shift ends.' },
    FLEET_TOO_SMALL: { description: 'It could be served alone, but no vehicle had room for it (or none was free).' },
  } as const,
});

const UnservedOrderType = builder.objectRef<UnservedOrder>('UnservedOrder').implement({
  description: 'An order planDay left in the pool, and why.',
  fields: (t) => ({
    order: t.field({ type: OrderRef, resolve: (u) => ({ id: u.orderId }) }),
    reason: t.field({ type: UnservedReasonType, resolve: (u) => u.reason }),
    message: t.exposeString('message'),
  }),
});

const PlanDayResultType = builder.objectRef<PlanDayOutcome>('PlanDayResult').implement({
  description: 'The routes a plan wrote, and the pending orders it could not serve.',
  fields: (t) => ({
    routes: t.prismaField({
      type: ['Route'],
      resolve: (query, result, _args, ctx) => ctx.db.route.findMany({ ...query, where: { id: { in: result.routeIds } }, orderBy: { id: 'asc' } }),
    }),
    unserved: t.field({ type: [UnservedOrderType], resolve: (result) => result.unserved }),
    dissolvedRouteIds: t.idList({
      description: 'Unstarted routes a re-plan deleted because their vehicle drives no route in the new plan (always empty for planDay).',
      resolve: (result) => result.dissolvedRouteIds,
    }),
  }),
});

const planArgs = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  depotId: t.arg.id({ required: true }),
  date: t.arg.string({ required: true, description: '"YYYY-MM-DD", a calendar day at the depot: shifts and windows are read in its time zone.' }),
  timeLimitSeconds: t.arg.float({ description: `The optimizer's budget (${PLAN_TIME_LIMIT.min}..${PLAN_TIME_LIMIT.max}, default ${PLAN_TIME_LIMIT.default}).` }),
});

builder.mutationFields((t) => ({
  planDay: t.field({
    type: PlanDayResultType,
    description:
      "Plans a depot's day: the organization's pending orders onto the depot's vehicles that have no route that day, " +
      'respecting weights, volumes, delivery windows and shifts, shortest total distance first. Publishes RoutePlanned per route.',
    authScopes: { anyRole: DISPATCH_ROLES },
    args: planArgs(t),
    resolve: async (_root, args, ctx) => {
      const parsed = parseInput(PlanDayArgsSchema, args, []);
      return runPlanDay({ read: ctx.db, commit: ctx.services.commit }, ctx.principal!, parsed, { now: ctx.now(), traceparent: ctx.traceparent, optimizer: ctx.services.optimizer });
    },
  }),
  replanDay: t.field({
    type: PlanDayResultType,
    description:
      "Re-plans a depot's day: its routes that have not started are dissolved and optimized again together with the pending " +
      'orders; started and completed routes stay as they are. A vehicle that drives again keeps its route (id and driver). ' +
      'Atomic: the new routes and their RoutePlanned events commit together, or nothing changes (CONFLICT when a route started meanwhile).',
    authScopes: { anyRole: DISPATCH_ROLES },
    args: planArgs(t),
    resolve: async (_root, args, ctx) => {
      const parsed = parseInput(PlanDayArgsSchema, args, []);
      return runReplanDay({ read: ctx.db, commit: ctx.services.commit }, ctx.principal!, parsed, { now: ctx.now(), traceparent: ctx.traceparent, optimizer: ctx.services.optimizer });
    },
  }),
}));
