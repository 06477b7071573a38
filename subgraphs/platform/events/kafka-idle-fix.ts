import { createRequire } from 'node:module';

/** The part of kafkajs's per-connection request queue this fix touches (src/network/requestQueue). */
interface RequestQueueInternals {
  pending: unknown[];
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId: NodeJS.Timeout | undefined;
  isConnected(): boolean;
  destroy(): void;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
}

/** The kafkajs release whose internals this replaces; another one is left alone (and this file's test fails). */
export const FIXED_KAFKAJS_VERSION = '2.2.4';

/** How soon a queue that holds requests but is not throttled looks again (kafkajs's own interval). */
const RECHECK_MS = 10;

/**
 * How often a connection looks for requests past their timeout (30 s by default). kafkajs looks
 * every 100 ms, ten wake-ups a second per connection for a deadline measured in seconds.
 */
const TIMEOUT_CHECK_MS = 1_000;

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
 * request that cannot go at once and every response still check the queue, as before. And the
 * request-timeout sweep runs every second instead of every 100 ms (a request times out at most a
 * second late).
 */
export function fixKafkaIdleTimers(): void {
  if (applied) return;
  applied = true;
  const require = createRequire(import.meta.url);
  if ((require('kafkajs/package.json') as { version: string }).version !== FIXED_KAFKAJS_VERSION) return;
  // No types and no export for it; kafkajs has no "exports" map, so its internal module is reachable.
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
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
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: RequestQueueInternals) {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    this.requestTimeoutIntervalId = setInterval(
      () => {
        const now = Date.now();
        for (const request of this.inflight.values()) if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
        if (!this.isConnected()) this.destroy();
      },
      Math.min(this.requestTimeout, TIMEOUT_CHECK_MS),
    );
  };
}
