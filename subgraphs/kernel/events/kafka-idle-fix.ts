import { createRequire } from 'node:module';

/** The part of kafkajs's per-connection request queue this fix touches (src/network/requestQueue). */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** How soon a queue that holds requests but is not throttled looks again (kafkajs's own interval). */
const RECHECK_MS = 10;

let applied = false;

/**
 * kafkajs 2.2.4 (the last release) re-arms a timer after every check of a connection's queue of
 * requests waiting to be sent, even when nothing waits and no throttle is in force, and with a
 * negative delay: once a connection has had one response, it spins a 1 ms timer for the rest of
 * its life (kafkajs issues #1556 and #1704, unfixed upstream). With a dozen connections per process
 * that was 3 to 5% of a core per idle process and about 1,500 wake-ups a second.
 *
 * Here a check is only scheduled while requests wait: at the end of a throttle, or after a short
 * interval when they wait for a request in flight (whose response checks again anyway). Pushing a
 * request that cannot go at once and every response still check the queue, as before.
 */
export function fixKafkaIdleTimers(): void {
  if (applied) return;
  applied = true;
  // No types and no export for it; kafkajs has no "exports" map, so its internal module is reachable.
  const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as {
    prototype: RequestQueueInternals;
  };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttledFor = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : RECHECK_MS,
    );
  };
}
