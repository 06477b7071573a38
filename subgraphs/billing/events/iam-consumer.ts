import { on } from '../../platform/events/consumer.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { OrganizationCreated, OrganizationUpdated } from '../../iam/events/contracts.ts';
import type { Tx } from '../services/invoice-rows.ts';
import { recordLocale } from '../services/organization-locales.ts';
import { ensureDefaultRateCard } from '../services/rate-cards.ts';

/** What billing reads from iam: new tenants, who each get the default rate card, and each tenant's locale for formatting money. */
export const BILLING_CONSUMES_IAM = [OrganizationCreated, OrganizationUpdated] as const;

export const iamRoute = on(BILLING_CONSUMES_IAM, async (event, tx: Tx, { now }) => {
  const orgId = event.data.organizationId;
  const asOf = new Date(event.time);
  if (event.type === OrganizationCreated.type) {
    await ensureDefaultRateCard(prismaSql(tx), orgId, now);
    // Organizations created before locales existed announce none: billing keeps its default.
    if (event.data.locale) await recordLocale(tx, orgId, event.data.locale, asOf);
  } else {
    await recordLocale(tx, orgId, event.data.locale, asOf);
  }
});

export const IAM_TOPIC = OrganizationCreated.topic;
