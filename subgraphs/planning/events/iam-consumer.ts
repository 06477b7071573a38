import { on } from '../../platform/events/consumer.ts';
import { UserDeactivated, UserReactivated, UserRegistered, UserRolesChanged } from '../../iam/events/contracts.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/** What planning reads from iam: who may drive, and who no longer may. */
export const PLANNING_CONSUMES_IAM = [UserRegistered, UserRolesChanged, UserDeactivated, UserReactivated] as const;

/**
 * Remembers the drivers iam announces, so a route is only ever given to an active driver of its
 * tenant: one who loses the DRIVER role or is deactivated stays known (routes keep their driver)
 * but gets no new route, and the route they hold cannot start.
 */
export const iamRoute = on(PLANNING_CONSUMES_IAM, async (event, tx: Prisma.TransactionClient) => {
  const { userId } = event.data;
  switch (event.type) {
    case UserRegistered.type:
    case UserRolesChanged.type: {
      const isDriver = event.data.roles.includes('DRIVER');
      const driver = { orgId: event.orgid, name: event.data.name, isDriver };
      // Someone who never drove needs no row until they become a driver.
      if (isDriver) await tx.driver.upsert({ where: { userId }, create: { userId, ...driver }, update: driver });
      else await tx.driver.updateMany({ where: { userId }, data: { isDriver: false } });
      return;
    }
    case UserDeactivated.type:
      await tx.driver.updateMany({ where: { userId }, data: { deactivatedAt: new Date(event.time) } });
      return;
    case UserReactivated.type:
      await tx.driver.updateMany({ where: { userId }, data: { deactivatedAt: null } });
      return;
  }
});

export const IAM_TOPIC = UserRegistered.topic;
