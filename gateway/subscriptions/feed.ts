import { randomUUID } from 'node:crypto';
import { topicFor } from '../../subgraphs/platform/events/envelope.ts';
import type { EventEnvelope } from '../../subgraphs/platform/events/envelope.ts';
import type { EventTransport, Subscription } from '../../subgraphs/platform/events/transport.ts';
import type { Logger } from '../../subgraphs/platform/logger.ts';

/** The domains whose events move orders and routes. */
export const FEED_DOMAINS = ['orders', 'planning', 'billing'] as const;

/** The consumer group name prefix of the gateway's live feed (each membership gets its own group). */
export const LIVE_GROUP_PREFIX = 'gateway.live.';

export interface LiveFeed {
  /** Whether some subscription is open: the feed joins on the first and leaves after the last. */
  want(open: boolean): void;
  /** Resolves once the feed is where the last `want` asked (joined, or left); rejects when joining failed. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The gateway's read of the domain events, only while someone listens: every event of the feed
 * domains costs the gateway a fetch and a decode, so an idle gateway (no open subscription) is in
 * no group at all. Each membership is a group of its own, so every gateway instance sees every
 * event (members of one group would split them), starting at the latest record: a live stream has
 * no use for history. A subscription is confirmed only once the feed has joined (`ready`), so an
 * event published after that confirmation reaches it.
 */
export function liveFeed(transport: EventTransport, onEvent: (envelope: EventEnvelope) => void, logger: Logger): LiveFeed {
  let wanted = false;
  let closed = false;
  let member: Subscription | undefined;
  let failure: unknown;
  const join = () =>
    transport.subscribe({
      group: `${LIVE_GROUP_PREFIX}${randomUUID()}`,
      topics: FEED_DOMAINS.map(topicFor),
      startAt: 'latest',
      // Dispatch only schedules work and never throws; nothing here is worth retrying or dead-lettering.
      maxAttempts: 1,
      handle: async (envelope) => onEvent(envelope),
    });
  // Joins and leaves one at a time, each time towards the latest wish (a burst of opens and closes folds into one change).
  const reconcile = async () => {
    for (;;) {
      const shouldJoin = wanted && !closed;
      if (shouldJoin && !member) {
        failure = undefined;
        try {
          member = await join();
        } catch (error) {
          failure = error;
          logger.error('live feed could not join', { error: (error as Error).message });
          return;
        }
      } else if (!shouldJoin && member) {
        const leaving = member;
        member = undefined;
        await leaving.close().catch((error: unknown) => logger.warn('live feed leave failed', { error: (error as Error).message }));
      } else return;
    }
  };
  let settled: Promise<void> = Promise.resolve();
  const settle = () => (settled = settled.then(reconcile));
  return {
    want(open) {
      wanted = open;
      void settle();
    },
    async ready() {
      await settle();
      if (wanted && !closed && !member) throw new Error(`the live feed could not join: ${(failure as Error | undefined)?.message ?? 'unknown'}`);
    },
    async close() {
      closed = true;
      await settle();
    },
  };
}
