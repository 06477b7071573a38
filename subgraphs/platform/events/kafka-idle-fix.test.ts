import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXED_KAFKAJS_VERSION, fixKafkaIdleTimers } from './kafka-idle-fix.ts';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  checkPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  destroy(): void;
}

const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as new (options: object) => Queue;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const queues: Queue[] = [];
const queue = () => {
  const q = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: 'test', broker: 'b:1', logger: silent });
  queues.push(q);
  return q;
};

describe('fixKafkaIdleTimers', () => {
  fixKafkaIdleTimers();

  it('is written for the installed kafkajs (an upgrade must be checked against its request queue first)', () => {
    expect((createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version).toBe(FIXED_KAFKAJS_VERSION);
  });
  afterEach(() => {
    for (const q of queues.splice(0)) q.destroy();
  });

  it('given a connection with nothing waiting, when it checks its queue (as after every response), then no timer is left armed', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('given requests waiting behind a throttle, when it checks its queue, then it looks again when the throttle ends', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 60_000;
    q.pending.push({});
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
  });

  it('given request timeouts enforced, then they are swept every second, not every 100 ms', () => {
    const q = queue();
    q.scheduleRequestTimeoutCheck();
    expect((q.requestTimeoutIntervalId as unknown as { _idleTimeout: number })._idleTimeout).toBe(1_000);
  });
});
