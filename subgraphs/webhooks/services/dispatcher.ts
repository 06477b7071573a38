import type { WebhooksConfig } from '../config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { wakeableSleep } from '../../platform/wakeable-sleep.ts';
import { nextAttemptAt } from '../domain/retry-schedule.ts';
import { webhookHeaders } from '../domain/signing.ts';
import { claimDue, nextDueAt, recordDelivered, recordFailed, type ClaimedDelivery } from './queue.ts';
import type { Sender } from './sender.ts';

export interface Dispatcher {
  /** Look now (after queuing or requeuing): low latency without tight polling. */
  notify(): void;
  stats(): { inFlight: number; sent: number; delivered: number; failedAttempts: number };
  /** Stops claiming and waits for the attempts in flight (each bounded by the timeout) to be recorded. */
  close(): Promise<void>;
}

/** Adds to a key's count, forgetting keys that reach zero. */
function count(counts: Map<string, number>, key: string, delta: number) {
  const n = (counts.get(key) ?? 0) + delta;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/** The shortest sleep between rounds, so a row due but not claimable (a race with another process) never spins the loop. */
const MIN_IDLE_MS = 50;

/** How far past the timeout a claimed row stays leased: time to record the outcome. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Claims due deliveries and sends each on its own promise, never more than `concurrency` at once,
 * nor `endpointConcurrency` per endpoint, nor `tenantConcurrency` per organization, with free
 * slots dealt round-robin across organizations (queue.ts): a slow or dead endpoint holds at most
 * its own slots, a tenant with many of them at most its share, and every other tenant's
 * deliveries keep flowing. A round claims only into free slots; a finished attempt frees its
 * slot and wakes the loop.
 */
export function startDispatcher(deps: {
  database: Pick<Database, 'query'>;
  sender: Sender;
  settings: WebhooksConfig;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
}): Dispatcher {
  const { database, sender, settings, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const perEndpoint = new Map<string, number>();
  const perTenant = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const stats = { sent: 0, delivered: 0, failedAttempts: 0 };
  let closed = false;
  // notify() during a round (a finished attempt, a new queue row) is remembered: look again at once.
  const pause = wakeableSleep();

  const attempt = async (d: ClaimedDelivery) => {
    const at = now();
    const result = await sender.send(d.url, webhookHeaders(d.secret, d.id, d.body, at), d.body);
    stats.sent++;
    const record = { status: result.status, latencyMs: result.latencyMs, excerpt: result.excerpt, at: now() };
    if (result.ok) {
      stats.delivered++;
      await recordDelivered(database, d, record);
    } else {
      stats.failedAttempts++;
      const retryAt = nextAttemptAt(d.failures + 1, settings.retryScheduleMs, settings.jitter, record.at, deps.random);
      await recordFailed(database, d, record, retryAt);
      if (!retryAt) logger.warn('webhook delivery failed for good; endpoint marked failing', { deliveryId: d.id, endpointId: d.endpointId });
    }
  };

  const launch = (d: ClaimedDelivery) => {
    count(perEndpoint, d.endpointId, +1);
    count(perTenant, d.orgId, +1);
    const running: Promise<void> = attempt(d)
      .catch((error) => logger.warn('recording a webhook attempt failed; its lease will lapse and it is tried again', { deliveryId: d.id, error: (error as Error).message }))
      .finally(() => {
        count(perEndpoint, d.endpointId, -1);
        count(perTenant, d.orgId, -1);
        inFlight.delete(running);
        notify();
      });
    inFlight.add(running);
  };

  const round = async (): Promise<number> => {
    const free = settings.concurrency - inFlight.size;
    if (free <= 0) return 0;
    const at = now();
    const claimed = await claimDue(database, {
      now: at,
      limit: free,
      leaseUntil: new Date(at.getTime() + settings.timeoutMs + LEASE_MARGIN_MS),
      endpointsInFlight: perEndpoint,
      perEndpoint: settings.endpointConcurrency,
      tenantsInFlight: perTenant,
      perTenant: settings.tenantConcurrency,
    });
    for (const d of claimed) launch(d);
    return claimed.length;
  };

  /**
   * Until the next retry or lease end is due, at most pollMs: new rows, finished attempts and
   * re-enabled endpoints wake the loop themselves. Due rows left unclaimed wait for a slot, and a
   * finished attempt frees one (and wakes the loop).
   */
  const idleFor = async (): Promise<number> => {
    const due = await nextDueAt(database).catch(() => null);
    if (!due) return settings.pollMs;
    const dueIn = due.getTime() - now().getTime();
    if (dueIn <= 0) return inFlight.size > 0 ? settings.pollMs : MIN_IDLE_MS;
    return Math.min(settings.pollMs, dueIn + 1);
  };

  const loop = (async () => {
    while (!closed) {
      pause.forget();
      let claimed = 0;
      try {
        claimed = await round();
      } catch (error) {
        logger.warn('webhook dispatcher round failed; will retry', { error: (error as Error).message });
      }
      // A full claim may leave more due rows: go again at once, unless every slot is taken.
      if (closed || (claimed > 0 && inFlight.size < settings.concurrency)) continue;
      await pause.sleep(await idleFor());
    }
  })();

  function notify() {
    pause.wake();
  }

  return {
    notify,
    stats: () => ({ inFlight: inFlight.size, ...stats }),
    async close() {
      closed = true;
      pause.wake();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
