import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { wakeableSleep } from './wakeable-sleep.ts';

/** Whether a promise has settled, after letting pending callbacks run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('wakeableSleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('given nobody wakes it, when the time passes, then the sleep ends then and not before', async () => {
    const s = wakeableSleep();
    const sleeping = s.sleep(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(sleeping)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(sleeping)).toBe(true);
  });

  it('given a sleep in progress, when woken, then it ends at once and leaves no timer behind', async () => {
    const s = wakeableSleep();
    const sleeping = s.sleep(60_000);
    expect(await settled(sleeping)).toBe(false);

    s.wake();

    expect(await settled(sleeping)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('given a wake during a sleep, when the next sleep starts, then that one runs its full time (the wake was spent)', async () => {
    const s = wakeableSleep();
    const first = s.sleep(60_000);
    s.wake();
    await first;

    const second = s.sleep(1_000);

    expect(await settled(second)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settled(second)).toBe(true);
  });

  it('given a wake with nobody asleep, when the next sleep starts, then it returns at once, once', async () => {
    const s = wakeableSleep();
    s.wake();
    s.wake();

    expect(await settled(s.sleep(60_000))).toBe(true);
    expect(await settled(s.sleep(60_000))).toBe(false);
  });

  it('given a remembered wake, when forgotten, then the next sleep runs its full time', async () => {
    const s = wakeableSleep();
    s.wake();

    s.forget();

    const sleeping = s.sleep(1_000);
    expect(await settled(sleeping)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settled(sleeping)).toBe(true);
  });
});
