import { eventParser } from '../../kernel/events/contract.ts';
import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import { OrganizationCreated } from '../../iam/events/contracts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { ensureDefaultRateCard } from '../services/rate-cards.ts';

/** What billing reads from iam: new tenants, who each get the default rate card. */
export const BILLING_CONSUMES_IAM = [OrganizationCreated] as const;
const parseIam = eventParser(BILLING_CONSUMES_IAM);
const CONSUMER = 'billing';

export function iamConsumer(db: PrismaClient) {
  return async (envelope: EventEnvelope): Promise<void> => {
    const event = parseIam(envelope);
    if (!event) return;
    await db.$transaction((tx) => handleOnce(prismaSql(tx), CONSUMER, event, () => ensureDefaultRateCard(tx, event.data.organizationId, new Date())));
  };
}

export const IAM_TOPIC = OrganizationCreated.topic;
