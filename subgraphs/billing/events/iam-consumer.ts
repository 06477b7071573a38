import { eventParser } from '../../kernel/events/contract.ts';
import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import { OrganizationCreated, OrganizationUpdated } from '../../iam/events/contracts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { recordLocale } from '../services/organization-locales.ts';
import { ensureDefaultRateCard } from '../services/rate-cards.ts';

/** What billing reads from iam: new tenants, who each get the default rate card, and each tenant's locale for formatting money. */
export const BILLING_CONSUMES_IAM = [OrganizationCreated, OrganizationUpdated] as const;
const parseIam = eventParser(BILLING_CONSUMES_IAM);
const CONSUMER = 'billing';

export function iamConsumer(db: PrismaClient) {
  return async (envelope: EventEnvelope): Promise<void> => {
    const event = parseIam(envelope);
    if (!event) return;
    const orgId = event.data.organizationId;
    const asOf = new Date(event.time);
    await db.$transaction((tx) =>
      handleOnce(prismaSql(tx), CONSUMER, event, async () => {
        if (event.type === OrganizationCreated.type) {
          await ensureDefaultRateCard(tx, orgId, new Date());
          // Organizations created before locales existed announce none: billing keeps its default.
          if (event.data.locale) await recordLocale(tx, orgId, event.data.locale, asOf);
        } else {
          await recordLocale(tx, orgId, event.data.locale, asOf);
        }
      }),
    );
  };
}

export const IAM_TOPIC = OrganizationCreated.topic;
