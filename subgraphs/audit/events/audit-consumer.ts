import { BILLING_EVENTS } from '../../billing/events/contracts.ts';
import { IAM_EVENTS } from '../../iam/events/contracts.ts';
import { MUTATION_EVENTS } from '../../kernel/audit/mutation-contract.ts';
import type { AnyEventContract } from '../../platform/events/contract.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { ORDERS_EVENTS } from '../../orders/events/contracts.ts';
import { PLANNING_EVENTS } from '../../planning/events/contracts.ts';
import { entryFacts } from '../domain/entry-facts.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { appendEntry } from '../services/append.ts';

/** Everything declared so far, and every domain's mutation records; the catalog lists audit under each. */
export const AUDIT_CONSUMES: readonly AnyEventContract[] = [...IAM_EVENTS, ...ORDERS_EVENTS, ...PLANNING_EVENTS, ...BILLING_EVENTS, ...MUTATION_EVENTS];

/** Every domain's topic (the mutation contracts name one per domain, those not built yet included). */
export const AUDITED_TOPICS: readonly string[] = [...new Set(AUDIT_CONSUMES.map((c) => c.topic))].sort();

const AGGREGATES = new Map(AUDIT_CONSUMES.map((c) => [c.type, c.aggregate]));

/**
 * Records every event of every topic, known or not, as the next link of its organization's chain.
 * The kernel commits the inbox row and the entry together, and the entry's event id is unique
 * besides, so a redelivered or replayed event never makes a second entry.
 */
export const auditConsumer: EventConsumer<SqlExecutor> = {
  name: 'audit',
  store: 'sql',
  // An auditor reads history: half a second behind costs nobody, and under traffic each fetch brings many entries.
  gatherMs: 500,
  routes: [],
  topics: AUDITED_TOPICS,
  otherwise: (envelope, tx, { now }) => appendEntry(tx, entryFacts(envelope, AGGREGATES), now),
};
