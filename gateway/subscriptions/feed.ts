import { randomUUID } from 'node:crypto';
import { topicFor } from '../../subgraphs/kernel/events/envelope.ts';
import type { EventEnvelope } from '../../subgraphs/kernel/events/envelope.ts';
import type { EventTransport, Subscription } from '../../subgraphs/kernel/events/transport.ts';

/** The domains whose events move orders and routes. */
export const FEED_DOMAINS = ['orders', 'planning', 'billing'] as const;

/**
 * Joins the event transport as a group of its own, so every gateway instance sees every event
 * (members of one group would split them), starting at the latest record: a live stream has no
 * use for history, and a restarted gateway has no subscribers waiting for it.
 */
export async function startFeed(transport: EventTransport, onEvent: (envelope: EventEnvelope) => void): Promise<Subscription> {
  return transport.subscribe({
    group: `gateway.live.${randomUUID()}`,
    topics: FEED_DOMAINS.map(topicFor),
    startAt: 'latest',
    // Dispatch only schedules work and never throws; nothing here is worth retrying or dead-lettering.
    maxAttempts: 1,
    handle: async (envelope) => onEvent(envelope),
  });
}
