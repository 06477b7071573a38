import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offsetCommits, type PartitionOffset } from './offset-commits.ts';

describe('offset commits', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('given many batches within the interval, then one commit holds each partition at its newest position', async () => {
    const commits: PartitionOffset[][] = [];
    const c = offsetCommits(async (o) => void commits.push(o), 1_000, () => {});
    c.handled('orders', 0, '4');
    c.handled('orders', 0, '9');
    c.handled('orders', 1, '2');
    expect(commits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commits).toEqual([[{ topic: 'orders', partition: 0, offset: '10' }, { topic: 'orders', partition: 1, offset: '3' }]]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(commits).toHaveLength(1);
  });

  it('given a member leaving, then flush commits what is pending at once, and nothing when nothing is', async () => {
    const commits: PartitionOffset[][] = [];
    const c = offsetCommits(async (o) => void commits.push(o), 60_000, () => {});
    await c.flush();
    expect(commits).toEqual([]);
    c.handled('billing', 2, '41');
    await c.flush();
    expect(commits).toEqual([[{ topic: 'billing', partition: 2, offset: '42' }]]);
  });

  it('given a commit that fails (a rebalance), then the error is reported and later commits still go out, in order', async () => {
    const seen: string[] = [];
    const errors: unknown[] = [];
    let fail = true;
    const c = offsetCommits(
      async (o) => {
        if (fail) throw new Error('REBALANCE_IN_PROGRESS');
        seen.push(o.map((p) => p.offset).join(','));
      },
      100,
      (e) => errors.push(e),
    );
    c.handled('t', 0, '1');
    await c.flush();
    fail = false;
    c.handled('t', 0, '7');
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toHaveLength(1);
    expect(seen).toEqual(['8']);
  });
});
