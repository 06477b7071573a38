import { randomUUID } from 'node:crypto';
import { eventParser } from '../../platform/events/contract.ts';
import type { EventTransport, Subscription } from '../../platform/events/transport.ts';
import type { Logger } from '../../platform/logger.ts';
import type { DenyList } from './deny-list.ts';
// Tokens are iam's, and so are their revocations: the kernel already trusts iam's keys (JWKS), and
// reads three of its events in one place so that no subgraph has to.
import { UserDeactivated, UserReactivated, UserRolesChanged } from './revocation-events.ts';

/** What feeds every process's deny-list (listed in the event catalog as its consumer). */
export const DENY_LIST_CONSUMES = [UserDeactivated, UserReactivated, UserRolesChanged] as const;
const parse = eventParser(DENY_LIST_CONSUMES);
const DENY_LIST_TYPES = new Set<string>(DENY_LIST_CONSUMES.map((c) => c.type));

export interface DenyListFeedOptions {
  /** Names the process's group: `<component>.deny.<uuid>`. */
  component: string;
  accessTtlSeconds: number;
  logger?: Logger;
  /** How long start-up waits for the replay of the last TTL to be read. Default 15 s. */
  catchUpTimeoutMs?: number;
  now?: () => number;
}

/**
 * Feeds the list from iam's topic with a group of this process's own, so every process (each
 * subgraph, each gateway) hears every event, as the gateway's live feed does. The group begins at
 * what was published in the last access-token lifetime: a restarted process replays exactly the
 * events whose tokens may still be alive, and start-up waits until that replay is read, so a
 * process never serves a request having forgotten a revocation.
 */
export async function followDenyList(transport: EventTransport, list: DenyList, options: DenyListFeedOptions): Promise<Subscription> {
  const now = options.now ?? Date.now;
  const group = `${options.component}.deny.${randomUUID()}`;
  const topics = [UserDeactivated.topic];
  const subscription = await transport.subscribe({
    group,
    topics,
    startAt: { sinceMs: now() - (options.accessTtlSeconds + 1) * 1000 },
    // The handler only records; an event it cannot read is logged, never retried or dead-lettered.
    maxAttempts: 1,
    // The rest of iam's events are passed over undecoded.
    accepts: (type) => DENY_LIST_TYPES.has(type),
    handle: async (envelope) => {
      try {
        const event = parse(envelope);
        if (!event) return;
        const atMs = Date.parse(event.time);
        if (event.type === UserDeactivated.type) list.deactivated(event.data.userId, atMs);
        else if (event.type === UserReactivated.type) list.reactivated(event.data.userId, atMs);
        else list.rolesChanged(event.data.userId, event.data.roles, atMs);
      } catch (error) {
        options.logger?.error('deny-list: unreadable iam event', { type: envelope.type, id: envelope.id, error: (error as Error).message });
      }
    },
  });
  const deadline = now() + (options.catchUpTimeoutMs ?? 15_000);
  while ((await transport.lag(group, topics)) > 0) {
    if (now() > deadline) {
      options.logger?.warn('deny-list: replay not caught up at start; serving while it continues', { group });
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return subscription;
}
