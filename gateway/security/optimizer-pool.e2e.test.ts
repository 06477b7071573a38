/**
 * Issue 21 #10: every optimizeRoutes used to start its own thread, so a burst multiplied threads
 * and memory until requests timed out. Now a bounded pool runs them (OPTIMIZER_WORKERS) with a
 * bounded queue, and the overflow is told RATE_LIMITED / OPTIMIZER_BUSY with a retry hint.
 * (How many threads ran at once is counted in subgraphs/platform/worker-pool.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from '../testing/harness.ts';

const OPTIMIZE = `query($problem: JSON!, $timeLimitSeconds: Float) {
  optimizeRoutes(problem: $problem, timeLimitSeconds: $timeLimitSeconds) { totalDistance vehiclesUsed }
}`;
const problem = {
  depots: [{ id: 'hub' }],
  stops: [{ id: 'a', demand: 1 }, { id: 'b', demand: 1 }],
  vehicles: [{ id: 'van', capacity: 10 }],
  matrix: { distances: [[0, 1, 2], [1, 0, 1], [2, 1, 0]] },
};

describe('the optimizer pool through the gateway', () => {
  let g: TestGraph;
  let dispatcher: string;
  beforeAll(async () => {
    g = await startTestGraph('pglite', { OPTIMIZER_WORKERS: '1', OPTIMIZER_QUEUE_LIMIT: '0' });
    dispatcher = await g.login('dispatcher@demo.test');
  }, 180_000);
  afterAll(() => g?.close());

  it('given more optimizations at once than threads and queue, then the overflow gets OPTIMIZER_BUSY with a retry hint and the rest are answered', async () => {
    // Each runs its whole 3 s budget on the one thread, so the others arrive while it is busy. Each
    // asks with its own budget: identical reads in flight would be shared by the gateway and fetched once.
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => g.gql(OPTIMIZE, { problem, timeLimitSeconds: 3 + i / 100 }, dispatcher)));
    const solved = answers.filter((a) => a.data?.optimizeRoutes);
    const busy = answers.filter((a) => a.errors?.[0]?.extensions?.reason === 'OPTIMIZER_BUSY');
    expect(solved.length + busy.length).toBe(4);
    expect(solved.length).toBeGreaterThanOrEqual(1);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const b of busy) expect(b.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'OPTIMIZER_BUSY', retryAfterSeconds: expect.any(Number) });
    // Once the thread is free again, the next one is answered.
    const again = await g.gql(OPTIMIZE, { problem, timeLimitSeconds: 0.1 }, dispatcher);
    expect(again.errors).toBeUndefined();
  }, 120_000);
});
