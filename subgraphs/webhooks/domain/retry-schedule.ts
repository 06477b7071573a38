/**
 * When to try again after a failed attempt. `failures` counts the failures so far (1 after the
 * first); the schedule holds the waits after the 1st, 2nd, … failure. Beyond its end: null, the
 * delivery has failed. Each wait is spread by ± `jitter` so a receiver that comes back is not hit
 * by every queued retry in the same second.
 */
export function nextAttemptAt(
  failures: number,
  schedule: readonly number[],
  jitter: number,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  if (failures < 1 || failures > schedule.length) return null;
  const base = schedule[failures - 1]!;
  const spread = base * jitter * (random() * 2 - 1);
  return new Date(now.getTime() + Math.max(0, Math.round(base + spread)));
}

/** The default: Standard Webhooks' suggested schedule, about 28 hours from the first attempt to the last. */
export const DEFAULT_SCHEDULE_MS: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000].map((s) => s * 1000);
