import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { DISPATCH_ROLES } from '../domain/access.ts';
import type { UnservedOrder } from '../domain/plan-day.ts';
import { PLAN_TIME_LIMIT, PlanDayArgsSchema } from '../domain/route-input.ts';
import { runPlanDay, type PlanDayOutcome } from '../services/plan-day.ts';
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
  }),
});

builder.mutationFields((t) => ({
  planDay: t.field({
    type: PlanDayResultType,
    description:
      "Plans a depot's day: the organization's pending orders onto the depot's vehicles that have no route that day, " +
      'respecting weights, volumes, delivery windows and shifts, shortest total distance first. Publishes RoutePlanned per route.',
    authScopes: { anyRole: DISPATCH_ROLES },
    args: {
      depotId: t.arg.id({ required: true }),
      date: t.arg.string({ required: true, description: '"YYYY-MM-DD"; shifts and windows are read in UTC.' }),
      timeLimitSeconds: t.arg.float({ description: `The optimizer's budget (${PLAN_TIME_LIMIT.min}..${PLAN_TIME_LIMIT.max}, default ${PLAN_TIME_LIMIT.default}).` }),
    },
    resolve: async (_root, args, ctx) => {
      const parsed = parseInput(PlanDayArgsSchema, args, []);
      const outcome = await runPlanDay(ctx.db, ctx.principal!, parsed, { now: ctx.now(), traceparent: ctx.traceparent });
      if (outcome.routeIds.length) ctx.services.outbox.notify();
      return outcome;
    },
  }),
}));
