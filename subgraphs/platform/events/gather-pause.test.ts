import { afterEach, describe, expect, it, vi } from 'vitest';
import { gatherPause } from './transport.ts';

/** Resolves true when `promise` settles within `ms` of fake time. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

describe('gatherPause', () => {
  afterEach(() => void vi.useRealTimers());

  it('given a fetch that began 100 ms ago, then its batch waits the 400 ms left of a 500 ms gather, and a second batch of that fetch does not wait', async () => {
    vi.useFakeTimers();
    const gather = gatherPause();
    gather.fetching();
    await vi.advanceTimersByTimeAsync(100);
    const signal = new AbortController().signal;

    const first = gather.pause(500, signal);
    expect(await settlesWithin(first, 399)).toBe(false);
    expect(await settlesWithin(first, 1)).toBe(true);
    expect(await settlesWithin(gather.pause(500, signal), 0)).toBe(true);
  });

  it('given a fetch that waited longer than the gather for its first event (a quiet spell), then its batch is applied at once', async () => {
    vi.useFakeTimers();
    const gather = gatherPause();
    gather.fetching();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await settlesWithin(gather.pause(500, new AbortController().signal), 0)).toBe(true);
  });

  it('given a wait in progress, when the subscription closes, then the wait ends', async () => {
    vi.useFakeTimers();
    const gather = gatherPause();
    gather.fetching();
    const closing = new AbortController();
    const wait = gather.pause(60_000, closing.signal);
    closing.abort();
    expect(await settlesWithin(wait, 0)).toBe(true);
  });
});
