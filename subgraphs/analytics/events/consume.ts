import { eventParser, type AnyEventContract } from '../../kernel/events/contract.ts';
import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import { factsOf, type AnalyticsEvent } from '../domain/facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { applyFacts, recordEvent } from '../services/projector.ts';

export const CONSUMER = 'analytics';

/**
 * A consumer of one topic: each event it knows is logged and applied to the read models in one
 * transaction with its inbox row, so a redelivery changes nothing. Types it does not read (other
 * events of the topic, newer versions) are skipped; a payload that breaks its contract throws, is
 * retried, then dead-lettered.
 */
export function projectingConsumer(db: PrismaClient, topic: string, contracts: readonly AnyEventContract[]) {
  const parse = eventParser(contracts);
  return async (envelope: EventEnvelope): Promise<void> => {
    const event = parse(envelope) as AnalyticsEvent | undefined;
    if (!event) return;
    await db.$transaction((tx) => {
      const sql = prismaSql(tx);
      return handleOnce(sql, CONSUMER, event, async () => {
        await recordEvent(sql, topic, envelope);
        await applyFacts(sql, factsOf(event));
      });
    });
  };
}
