import type { EventConsumer } from '../../platform/events/consumer.ts';
import { onEnvelope } from '../../platform/events/consumer.ts';
import { WEBHOOK_EVENTS, WEBHOOK_TOPICS } from '../domain/event-types.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { enqueueDeliveries } from '../services/enqueue.ts';

/** What webhooks reads (the catalog lists it under each): every event an endpoint can subscribe to. */
export const WEBHOOKS_CONSUMES = WEBHOOK_EVENTS;

/**
 * Queues deliveries for each event in the transaction that records it in the inbox (the kernel's
 * batch), so an event is queued exactly once however often it arrives, and a crash before commit
 * queues nothing and leaves the event to be redelivered. Endpoints get the event as published.
 * Mutation records on the same topics are not for webhooks: the kernel skips them.
 */
export function webhooksConsumer(onQueued: () => void): EventConsumer<SqlExecutor> {
  return {
    name: 'webhooks',
    store: 'sql',
    // A partner's endpoint hears of an event a fifth of a second later at most; deliveries were never instant (HTTP, retries).
    gatherMs: 200,
    topics: WEBHOOK_TOPICS,
    routes: [
      onEnvelope(WEBHOOKS_CONSUMES, async (envelope, sql: SqlExecutor, { now, afterCommit }) => {
        if ((await enqueueDeliveries(sql, envelope, now)) > 0) afterCommit(onQueued);
      }),
    ],
  };
}
