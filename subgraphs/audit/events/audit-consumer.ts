import { BILLING_EVENTS } from '../../billing/events/contracts.ts';
import { IAM_EVENTS } from '../../iam/events/contracts.ts';
import { MUTATION_EVENTS } from '../../kernel/audit/mutation-contract.ts';
import type { AnyEventContract } from '../../kernel/events/contract.ts';
import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import { ORDERS_EVENTS } from '../../orders/events/contracts.ts';
import { PLANNING_EVENTS } from '../../planning/events/contracts.ts';
import { entryFacts } from '../domain/entry-facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { appendEntry } from '../services/append.ts';

/** Everything declared so far, and every domain's mutation records; the catalog lists audit under each. */
export const AUDIT_CONSUMES: readonly AnyEventContract[] = [...IAM_EVENTS, ...ORDERS_EVENTS, ...PLANNING_EVENTS, ...BILLING_EVENTS, ...MUTATION_EVENTS];

/** Every domain's topic (the mutation contracts name one per domain, those not built yet included). */
export const AUDITED_TOPICS: readonly string[] = [...new Set(AUDIT_CONSUMES.map((c) => c.topic))].sort();

const AGGREGATES = new Map(AUDIT_CONSUMES.map((c) => [c.type, c.aggregate]));
const CONSUMER = 'audit';

/**
 * Records every event of every topic, known or not, as the next link of its organization's chain.
 * The inbox row and the entry commit together, and the entry's event id is unique besides, so a
 * redelivered or replayed event never makes a second entry.
 */
export function auditConsumer(db: PrismaClient, now: () => Date = () => new Date()) {
  return async (envelope: EventEnvelope): Promise<void> => {
    const facts = entryFacts(envelope, AGGREGATES);
    await db.$transaction((tx) => handleOnce(prismaSql(tx), CONSUMER, envelope, () => appendEntry(tx, facts, now())));
  };
}
