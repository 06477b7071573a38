import { eventParser } from '../../kernel/events/contract.ts';
import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import { UserRegistered } from '../../iam/events/contracts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** What planning reads from iam: who may drive. */
export const PLANNING_CONSUMES_IAM = [UserRegistered] as const;
const parseIam = eventParser(PLANNING_CONSUMES_IAM);
const CONSUMER = 'planning';

/** Remembers the drivers iam announces, so a route is only ever given to a driver of its tenant. */
export function iamConsumer(db: PrismaClient) {
  return async (envelope: EventEnvelope): Promise<void> => {
    const event = parseIam(envelope);
    if (!event || !event.data.roles.includes('DRIVER')) return;
    await db.$transaction((tx) =>
      handleOnce(prismaSql(tx), CONSUMER, event, async () => {
        const driver = { orgId: event.orgid, name: event.data.name };
        await tx.driver.upsert({ where: { userId: event.data.userId }, create: { userId: event.data.userId, ...driver }, update: driver });
      }),
    );
  };
}

export const IAM_TOPIC = UserRegistered.topic;
