import type { EventEnvelope } from '../../kernel/events/envelope.ts';
import { handleOnce } from '../../kernel/events/inbox.ts';
import { prismaSql } from '../../kernel/events/sql.ts';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from '../domain/event-types.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { enqueueDeliveries } from '../services/enqueue.ts';

/** What webhooks reads (the catalog lists it under each): every event an endpoint can subscribe to. */
export const WEBHOOKS_CONSUMES = WEBHOOK_EVENTS;

const CONSUMER = 'webhooks';

/**
 * Queues deliveries for each event in the transaction that records it in the inbox, so an event
 * is queued exactly once however often it arrives, and a crash before commit queues nothing and
 * leaves the event to be redelivered. Mutation records on the same topics are not for webhooks.
 */
export function webhooksConsumer(db: PrismaClient, onQueued: () => void, now: () => Date = () => new Date()) {
  return async (envelope: EventEnvelope): Promise<void> => {
    if (!WEBHOOK_EVENT_TYPES.includes(envelope.type)) return;
    const outcome = await db.$transaction((tx) => handleOnce(prismaSql(tx), CONSUMER, envelope, () => enqueueDeliveries(tx, envelope, now())));
    if (outcome.handled && outcome.result > 0) onQueued();
  };
}
