import type { Principal } from '../../kernel/auth/principal.ts';
import { badInput, conflict, notFound } from '../../kernel/errors.ts';
import { uuidv7 } from '../../kernel/ids.ts';
import { dayStart, MINUTES_PER_DAY, minutesInto } from '../domain/clock.ts';
import type { PlanDayInput, DayPlan, UnservedOrder } from '../domain/plan-day.ts';
import { runInWorker } from '../../kernel/worker.ts';

const PLAN_DAY_MODULE = new URL('../domain/plan-day.ts', import.meta.url);
/** Start-up of the worker and the translation around the solve, beyond the optimizer's budget. */
const WORKER_GRACE_MS = 30_000;
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { recordRoutePlanned } from './route-events.ts';

export interface PlanDayOutcome {
  routeIds: string[];
  unserved: UnservedOrder[];
}

/**
 * Plans a depot's day over the tenant's pending pool: the optimizer runs outside any transaction
 * (it may take seconds), then routes, stops, pool statuses and one RoutePlanned per route commit
 * together. If the pool or the fleet changed meanwhile (an order cancelled, a concurrent plan),
 * nothing is written and the caller is told to plan again.
 */
export async function runPlanDay(
  db: PrismaClient,
  principal: Principal,
  args: { depotId: string; date: string; timeLimitSeconds: number },
  options: { now: Date; traceparent?: string },
): Promise<PlanDayOutcome> {
  const orgId = principal.orgId;
  const depot = await db.depot.findFirst({ where: { id: args.depotId, orgId } });
  if (!depot) throw notFound('Depot', ['depotId']);
  const day = dayStart(args.date);
  if (minutesInto(day, options.now) >= MINUTES_PER_DAY) throw badInput('date: must not be a day that is over', ['date']);

  const vehicles = await db.vehicle.findMany({
    where: { orgId, homeDepotId: depot.id, routes: { none: { date: day } } },
    orderBy: { id: 'asc' },
  });
  const pool = await db.planningOrder.findMany({ where: { orgId, status: 'PENDING' }, orderBy: { orderId: 'asc' } });
  // The optimizer runs for up to its budget: on a worker thread, so the subgraph keeps serving.
  const plan = await runInWorker<DayPlan>(PLAN_DAY_MODULE, 'planDay', [{
    depot,
    date: args.date,
    vehicles: vehicles.map((v) => ({
      id: v.id,
      capacityKg: v.capacityKg.toNumber(),
      capacityM3: v.capacityM3?.toNumber() ?? null,
      shiftStartMin: v.shiftStartMin,
      shiftEndMin: v.shiftEndMin,
    })),
    orders: pool.map((o) => ({ ...o, weightKg: o.weightKg.toNumber(), volumeM3: o.volumeM3?.toNumber() ?? null })),
    timeLimitMs: args.timeLimitSeconds * 1000,
  } satisfies PlanDayInput], { timeoutMs: args.timeLimitSeconds * 1000 + WORKER_GRACE_MS });

  const planned = plan.routes.flatMap((r) => r.stops.map((s) => s.orderId));
  const at = options.now.getTime();
  try {
    const routeIds = await db.$transaction(async (tx) => {
      const taken = await tx.planningOrder.updateMany({ where: { orgId, orderId: { in: planned }, status: 'PENDING' }, data: { status: 'PLANNED' } });
      if (taken.count !== planned.length) throw conflict('The planning pool changed while planning; plan again.', ['depotId']);
      const ids: string[] = [];
      for (const draft of plan.routes) {
        const route = await tx.route.create({
          data: {
            id: uuidv7(at),
            orgId,
            vehicleId: draft.vehicleId,
            depotId: depot.id,
            date: day,
            distanceKm: draft.distanceKm,
            durationMin: draft.durationMin,
            startsAt: draft.startsAt,
            createdAt: options.now,
            stops: { create: draft.stops.map((s) => ({ id: uuidv7(at), orgId, ...s, weightKg: s.weightKg.toFixed(3) })) },
          },
        });
        await recordRoutePlanned(tx, route.id, { traceparent: options.traceparent });
        ids.push(route.id);
      }
      return ids;
    });
    return { routeIds, unserved: plan.unserved };
  } catch (error) {
    // Another plan gave one of these vehicles a route for the day first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('A vehicle of this depot was planned for that day meanwhile; plan again.', ['depotId']);
    }
    throw error;
  }
}
