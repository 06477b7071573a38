import type { Principal } from '../../kernel/auth/principal.ts';
import { badInput, conflict, notFound } from '../../platform/errors.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { WorkerPool } from '../../platform/worker.ts';
import { dayStart } from '../domain/clock.ts';
import type { DayPlan, PlanDayInput, RouteDraft, UnservedOrder } from '../domain/plan-day.ts';
import { dayFrame } from '../domain/time-zone.ts';
import { RoutePlanned } from '../events/contracts.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { recordRoutePlanned } from './route-events.ts';

const PLAN_DAY_MODULE = new URL('../domain/plan-day.ts', import.meta.url);
/** Start-up of the worker and the translation around the solve, beyond the optimizer's budget. */
const WORKER_GRACE_MS = 30_000;

export interface PlanDayOutcome {
  routeIds: string[];
  unserved: UnservedOrder[];
  /** Unstarted routes a re-plan deleted because their vehicle drives no route in the new plan. */
  dissolvedRouteIds: string[];
}

interface PlanArgs {
  depotId: string;
  date: string;
  timeLimitSeconds: number;
}

interface Cause {
  now: Date;
  traceparent?: string;
  /** The bounded pool the optimizer runs in. */
  optimizer: Pick<WorkerPool, 'run'>;
}

/** An unstarted route of the day as a re-plan found it: what it may replace, and what it carried. */
interface OpenRoute {
  id: string;
  vehicleId: string;
  orderIds: string[];
}

/**
 * Plans a depot's day over the tenant's pending pool: the optimizer runs outside any transaction
 * (it may take seconds), then routes, stops, pool statuses and one RoutePlanned per route commit
 * together. If the pool or the fleet changed meanwhile (an order cancelled, a concurrent plan),
 * nothing is written and the caller is told to plan again.
 */
export const runPlanDay = (db: PlanStore, principal: Principal, args: PlanArgs, cause: Cause) => plan(db, principal, args, cause, false);

/**
 * Re-plans a depot's day: its routes that have not started are dissolved and their orders are
 * optimized again together with the pending pool, on those routes' vehicles and the depot's free
 * ones. Started and completed routes stay as they are. A vehicle that drives again keeps its route
 * (id and driver); a route whose vehicle is not needed any more is deleted. Orders the new plan
 * cannot serve go back to the pool, named in their old route's RoutePlanned as removed, so orders
 * returns them to CREATED and billing to their direct distance. All of it commits in one
 * transaction, or nothing changes (CONFLICT when a route started or the pool changed meanwhile).
 */
export const runReplanDay = (db: PlanStore, principal: Principal, args: PlanArgs, cause: Cause) => plan(db, principal, args, cause, true);

/** Reads outside any transaction (the optimizer may take seconds); the plan's writes commit through the unit of work. */
export interface PlanStore {
  read: PrismaClient;
  commit: UnitOfWork<Prisma.TransactionClient>;
}

async function plan(store: PlanStore, principal: Principal, args: PlanArgs, cause: Cause, replan: boolean): Promise<PlanDayOutcome> {
  const db = store.read;
  const orgId = principal.orgId;
  const depot = await db.depot.findFirst({ where: { id: args.depotId, orgId } });
  if (!depot) throw notFound('Depot', ['depotId']);
  const frame = dayFrame(args.date, depot.timeZone);
  if (cause.now.getTime() >= frame.start.getTime() + frame.lengthMin * 60_000) {
    throw badInput(`date: must not be a day that is over (in ${depot.timeZone})`, ['date']);
  }
  const day = dayStart(args.date);

  const open: OpenRoute[] = replan
    ? (
        await db.route.findMany({
          where: { orgId, depotId: depot.id, date: day, status: 'PLANNED' },
          include: { stops: { select: { orderId: true } } },
          orderBy: { id: 'asc' },
        })
      ).map((r) => ({ id: r.id, vehicleId: r.vehicleId, orderIds: r.stops.map((s) => s.orderId) }))
    : [];
  const openVehicles = open.map((r) => r.vehicleId);
  const onOpenRoutes = open.flatMap((r) => r.orderIds);

  const vehicles = await db.vehicle.findMany({
    where: { orgId, homeDepotId: depot.id, OR: [{ routes: { none: { date: day } } }, { id: { in: openVehicles } }] },
    orderBy: { id: 'asc' },
  });
  const pool = await db.planningOrder.findMany({
    where: { orgId, OR: [{ status: 'PENDING' }, { status: 'PLANNED', orderId: { in: onOpenRoutes } }] },
    orderBy: { orderId: 'asc' },
  });
  // The optimizer runs for up to its budget: on a worker thread, so the subgraph keeps serving.
  const result = await cause.optimizer.run<DayPlan>(PLAN_DAY_MODULE, 'planDay', [{
    depot,
    date: args.date,
    timeZone: depot.timeZone,
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

  const planned = new Set(result.routes.flatMap((r) => r.stops.map((s) => s.orderId)));
  const wasOnRoute = new Set(onOpenRoutes);
  const fromPool = [...planned].filter((id) => !wasOnRoute.has(id));
  const backToPool = onOpenRoutes.filter((id) => !planned.has(id));
  try {
    const written = await store.commit(async (tx) => {
      if (open.length) await claimOpenRoutes(tx, open);
      const taken = await tx.planningOrder.updateMany({ where: { orgId, orderId: { in: fromPool }, status: 'PENDING' }, data: { status: 'PLANNED' } });
      if (taken.count !== fromPool.length) throw conflict('The planning pool changed while planning; plan again.', ['depotId']);
      if (backToPool.length) await tx.planningOrder.updateMany({ where: { orgId, orderId: { in: backToPool }, status: 'PLANNED' }, data: { status: 'PENDING' } });
      if (open.length) await tx.stop.deleteMany({ where: { routeId: { in: open.map((r) => r.id) } } });

      const routeIds: string[] = [];
      const reused = new Map(open.map((r) => [r.vehicleId, r]));
      for (const draft of result.routes) {
        const previous = reused.get(draft.vehicleId);
        const id = previous ? await rewriteRoute(tx, previous.id, draft, orgId, cause.now) : await createRoute(tx, draft, { orgId, depotId: depot.id, day, now: cause.now });
        const removedOrderIds = previous ? previous.orderIds.filter((o) => !planned.has(o)) : [];
        await recordRoutePlanned(tx, id, { removedOrderIds, traceparent: cause.traceparent });
        routeIds.push(id);
      }
      const dissolved = open.filter((r) => !result.routes.some((d) => d.vehicleId === r.vehicleId));
      for (const route of dissolved) {
        // The route is gone: its last RoutePlanned has no stops and hands back what no route took.
        const event = RoutePlanned.create(
          { routeId: route.id, vehicleId: route.vehicleId, date: args.date, distanceKm: 0, stops: [], removedOrderIds: route.orderIds.filter((o) => !planned.has(o)) },
          { subject: route.id, orgId, traceparent: cause.traceparent },
        );
        await writeOutbox(prismaSql(tx), RoutePlanned.topic, [event]);
        await tx.route.delete({ where: { id: route.id } });
      }
      return { routeIds, dissolvedRouteIds: dissolved.map((r) => r.id) };
    });
    return { ...written, unserved: result.unserved };
  } catch (error) {
    // Another plan gave one of these vehicles a route for the day first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('A vehicle of this depot was planned for that day meanwhile; plan again.', ['depotId']);
    }
    throw error;
  }
}

/**
 * Locks the routes a re-plan replaces while they are still unstarted (a start that won the race
 * makes this fail) and checks they still carry what the plan was made from (a cancellation may
 * have taken a stop off meanwhile).
 */
async function claimOpenRoutes(tx: Prisma.TransactionClient, open: readonly OpenRoute[]): Promise<void> {
  const ids = open.map((r) => r.id);
  const locked = await tx.route.updateMany({ where: { id: { in: ids }, status: 'PLANNED' }, data: { status: 'PLANNED' } });
  if (locked.count !== ids.length) throw conflict('A route of that day started or changed while re-planning; re-plan again.', ['depotId']);
  const now = await tx.stop.findMany({ where: { routeId: { in: ids } }, select: { orderId: true } });
  const before = new Set(open.flatMap((r) => r.orderIds));
  if (now.length !== before.size || now.some((s) => !before.has(s.orderId))) {
    throw conflict('A route of that day changed while re-planning; re-plan again.', ['depotId']);
  }
}

async function createRoute(tx: Prisma.TransactionClient, draft: RouteDraft, at: { orgId: string; depotId: string; day: Date; now: Date }): Promise<string> {
  const ms = at.now.getTime();
  const route = await tx.route.create({
    data: {
      id: uuidv7(ms),
      orgId: at.orgId,
      vehicleId: draft.vehicleId,
      depotId: at.depotId,
      date: at.day,
      distanceKm: draft.distanceKm,
      durationMin: draft.durationMin,
      startsAt: draft.startsAt,
      createdAt: at.now,
      stops: { create: draft.stops.map((s) => ({ id: uuidv7(ms), orgId: at.orgId, ...s, weightKg: s.weightKg.toFixed(3) })) },
    },
  });
  return route.id;
}

/** A route a re-plan keeps for its vehicle: same id and driver, new stops (their old ones are deleted). */
async function rewriteRoute(tx: Prisma.TransactionClient, routeId: string, draft: RouteDraft, orgId: string, now: Date): Promise<string> {
  const ms = now.getTime();
  await tx.route.update({
    where: { id: routeId },
    data: {
      distanceKm: draft.distanceKm,
      durationMin: draft.durationMin,
      startsAt: draft.startsAt,
      stops: { create: draft.stops.map((s) => ({ id: uuidv7(ms), orgId, ...s, weightKg: s.weightKg.toFixed(3) })) },
    },
  });
  return routeId;
}
