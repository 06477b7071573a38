import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE_MS, nextAttemptAt } from './retry-schedule.ts';

const now = new Date('2026-12-05T12:00:00Z');
const after = (d: Date | null) => (d ? d.getTime() - now.getTime() : null);

describe('retry schedule', () => {
  it('given no jitter, waits the schedule’s n-th step after the n-th failure, then gives up', () => {
    const schedule = [5_000, 300_000, 1_800_000];
    expect(after(nextAttemptAt(1, schedule, 0, now))).toBe(5_000);
    expect(after(nextAttemptAt(2, schedule, 0, now))).toBe(300_000);
    expect(after(nextAttemptAt(3, schedule, 0, now))).toBe(1_800_000);
    expect(nextAttemptAt(4, schedule, 0, now)).toBeNull();
    expect(nextAttemptAt(0, schedule, 0, now)).toBeNull();
  });

  it('spreads each wait by at most ± the jitter fraction', () => {
    expect(after(nextAttemptAt(2, [1_000, 10_000], 0.2, now, () => 0))).toBe(8_000);
    expect(after(nextAttemptAt(2, [1_000, 10_000], 0.2, now, () => 0.999999))).toBe(12_000);
    expect(after(nextAttemptAt(2, [1_000, 10_000], 0.2, now, () => 0.5))).toBe(10_000);
  });

  it('by default retries 7 times over about a day (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)', () => {
    expect(DEFAULT_SCHEDULE_MS).toHaveLength(7);
    const total = DEFAULT_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeCloseTo(27.6, 1);
  });
});
