import { describe, expect, it } from 'vitest';
import { eventually } from './events/testing/test-support.ts';
import { AppError } from './errors.ts';
import { createWorkerPool } from './worker.ts';

const fixture = new URL('./worker-pool.fixture.ts', import.meta.url);
const cells = () => {
  const buffer = new SharedArrayBuffer(16);
  const c = new Int32Array(buffer);
  return { buffer, running: () => Atomics.load(c, 0), most: () => Atomics.load(c, 1), started: () => Atomics.load(c, 2), open: () => (Atomics.store(c, 3, 1), Atomics.notify(c, 3)) };
};
const settle = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

describe('the bounded worker pool', () => {
  it('given a burst of tasks, then never more than its size run at once, the queue waits, and the overflow is refused as busy', async () => {
    const pool = createWorkerPool({ size: 2, queueLimit: 3, queueTimeoutMs: 60_000, busyReason: 'OPTIMIZER_BUSY' });
    const c = cells();
    const outcomes = Array.from({ length: 10 }, () => settle(pool.run<number>(fixture, 'hold', [c.buffer], { timeoutMs: 60_000 })));
    const refused = (await Promise.all(outcomes.slice(5))).map((o) => (o.ok ? o : (o.error as AppError).extensions));
    expect(refused).toEqual(Array(5).fill(expect.objectContaining({ code: 'RATE_LIMITED', reason: 'OPTIMIZER_BUSY', retryAfterSeconds: 60 })));
    await eventually('two tasks holding their threads', () => c.running() === 2, 30_000);
    expect(pool.stats()).toEqual({ running: 2, waiting: 3, refused: 5 });
    c.open();
    const done = await Promise.all(outcomes.slice(0, 5));
    expect(done.every((o) => o.ok)).toBe(true);
    expect(c.started()).toBe(5);
    expect(c.most()).toBe(2);
    expect(pool.stats()).toEqual({ running: 0, waiting: 0, refused: 5 });
  }, 60_000);

  it('given a task that waited past the queue timeout, then it is refused as busy and never runs', async () => {
    const pool = createWorkerPool({ size: 1, queueLimit: 5, queueTimeoutMs: 200, busyReason: 'OPTIMIZER_BUSY' });
    const c = cells();
    const first = settle(pool.run(fixture, 'hold', [c.buffer], { timeoutMs: 60_000 }));
    const second = await settle(pool.run(fixture, 'hold', [c.buffer], { timeoutMs: 60_000 }));
    expect(second.ok ? second : (second.error as AppError).extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'OPTIMIZER_BUSY' });
    c.open();
    expect((await first).ok).toBe(true);
    expect(c.started()).toBe(1);
  }, 60_000);
});
