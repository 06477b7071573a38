import type { Principal } from '../../kernel/auth/principal.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { mayDrive, mayWorkRoute } from '../domain/access.ts';
import type { ProofInput } from '../domain/route-input.ts';
import { RouteDriverAssigned, RouteStarted, StopCompleted, StopFailed } from '../events/contracts.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import type { Prisma } from '../generated/prisma/client.ts';

interface Cause {
  now: Date;
  traceparent?: string;
}

/**
 * Gives a route to a driver iam announced in the caller's tenant, and says so (orders learns from
 * it which driver may read the route's orders), in one transaction.
 */
export async function assignDriver(commit: UnitOfWork<Prisma.TransactionClient>, principal: Principal, routeId: string, driverId: string, cause: Cause) {
  return commit(async (tx) => {
    const route = await tx.route.findFirst({ where: { id: routeId, orgId: principal.orgId } });
    if (!route) throw notFound('Route', ['routeId']);
    if (route.status === 'COMPLETED') throw conflict('The route is completed; it keeps its driver.', ['routeId']);
    const driver = await tx.driver.findFirst({ where: { userId: driverId, orgId: principal.orgId } });
    if (!driver) throw notFound('Driver', ['driverId']);
    if (!mayDrive(driver)) throw conflict('This user is deactivated or no longer a driver.', ['driverId']);
    const updated = await tx.route.update({ where: { id: route.id }, data: { driverId } });
    if (route.driverId !== driverId) {
      const event = RouteDriverAssigned.create(
        { routeId: route.id, driverId, assignedAt: cause.now.toISOString() },
        { subject: route.id, orgId: route.orgId, traceparent: cause.traceparent },
      );
      await writeOutbox(prismaSql(tx), RouteDriverAssigned.topic, [event]);
    }
    return updated;
  });
}

/** The driver leaves the depot: the route is under way and its orders are in transit. */
export async function startRoute(commit: UnitOfWork<Prisma.TransactionClient>, principal: Principal, routeId: string, cause: Cause) {
  return commit(async (tx) => {
    const route = await tx.route.findFirst({ where: { id: routeId, orgId: principal.orgId } });
    if (!route) throw notFound('Route', ['routeId']);
    if (!mayWorkRoute(principal, route)) throw forbidden('Only a dispatcher or the assigned driver may start this route.');
    if (!route.driverId) throw conflict('Assign a driver before starting the route.', ['routeId']);
    const driver = await tx.driver.findUnique({ where: { userId: route.driverId } });
    if (!driver || !mayDrive(driver)) throw conflict('The assigned driver is deactivated or no longer a driver; assign another.', ['routeId']);
    // Conditional, so a concurrent start or re-plan cannot interleave with this one.
    const started = await tx.route.updateMany({ where: { id: route.id, status: 'PLANNED' }, data: { status: 'IN_PROGRESS', startedAt: cause.now } });
    if (started.count !== 1) throw conflict(`The route is ${route.status === 'PLANNED' ? 'changing' : route.status}; it cannot start.`, ['routeId']);
    const stops = await tx.stop.findMany({ where: { routeId: route.id, status: 'PENDING' }, orderBy: { sequence: 'asc' } });
    const event = RouteStarted.create(
      { routeId: route.id, orderIds: stops.map((s) => s.orderId), startedAt: cause.now.toISOString() },
      { subject: route.id, orgId: route.orgId, traceparent: cause.traceparent },
    );
    await writeOutbox(prismaSql(tx), RouteStarted.topic, [event]);
    return route.id;
  });
}

/** Loads a stop the caller may record, on a route under way, still pending. */
async function workableStop(tx: Prisma.TransactionClient, principal: Principal, stopId: string) {
  const stop = await tx.stop.findFirst({ where: { id: stopId, orgId: principal.orgId }, include: { route: true } });
  if (!stop) throw notFound('Stop', ['stopId']);
  if (!mayWorkRoute(principal, stop.route)) throw forbidden('Only a dispatcher or the driver of this route may record its stops.');
  if (stop.route.status !== 'IN_PROGRESS') throw conflict('Start the route before recording its stops.', ['stopId']);
  if (stop.status !== 'PENDING') throw conflict(`The stop is already ${stop.status}.`, ['stopId']);
  return stop;
}

/** Marks the stop done if it still is pending, and the route completed once no stop is pending. */
async function closeStop(tx: Prisma.TransactionClient, stop: { id: string; routeId: string }, data: Prisma.StopUpdateManyMutationInput, now: Date) {
  const closed = await tx.stop.updateMany({ where: { id: stop.id, status: 'PENDING' }, data });
  if (closed.count !== 1) throw conflict('The stop changed meanwhile; reload it.', ['stopId']);
  const pending = await tx.stop.count({ where: { routeId: stop.routeId, status: 'PENDING' } });
  if (pending === 0) await tx.route.update({ where: { id: stop.routeId }, data: { status: 'COMPLETED', completedAt: now } });
}

export async function completeStop(commit: UnitOfWork<Prisma.TransactionClient>, principal: Principal, stopId: string, proof: ProofInput, cause: Cause) {
  return commit(async (tx) => {
    const stop = await workableStop(tx, principal, stopId);
    await closeStop(tx, stop, { status: 'COMPLETED', completedAt: cause.now, ...proof }, cause.now);
    await tx.planningOrder.updateMany({ where: { orderId: stop.orderId, orgId: stop.orgId }, data: { status: 'DELIVERED' } });
    const event = StopCompleted.create(
      { routeId: stop.routeId, stopId: stop.id, orderId: stop.orderId, completedAt: cause.now.toISOString(), recipientName: proof.recipientName },
      { subject: stop.routeId, orgId: stop.orgId, traceparent: cause.traceparent },
    );
    await writeOutbox(prismaSql(tx), StopCompleted.topic, [event]);
    return stop.id;
  });
}

/** The delivery failed: the stop keeps why, and the order goes back to the pool to be planned again. */
export async function failStop(commit: UnitOfWork<Prisma.TransactionClient>, principal: Principal, stopId: string, reason: string, cause: Cause) {
  return commit(async (tx) => {
    const stop = await workableStop(tx, principal, stopId);
    await closeStop(tx, stop, { status: 'FAILED', failedAt: cause.now, failureReason: reason }, cause.now);
    await tx.planningOrder.updateMany({ where: { orderId: stop.orderId, orgId: stop.orgId, status: 'PLANNED' }, data: { status: 'PENDING' } });
    const event = StopFailed.create(
      { routeId: stop.routeId, stopId: stop.id, orderId: stop.orderId, failedAt: cause.now.toISOString(), reason },
      { subject: stop.routeId, orgId: stop.orgId, traceparent: cause.traceparent },
    );
    await writeOutbox(prismaSql(tx), StopFailed.topic, [event]);
    return stop.id;
  });
}
