import { describe, expect, it } from 'vitest';
import { InflightReads } from './inflight.ts';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('InflightReads', () => {
  it('given identical reads while a fetch runs, then that one fetch answers all, each with its own copy', async () => {
    const reads = new InflightReads<{ data: { n: number } }>();
    const upstream = deferred<{ data: { n: number } }>();
    let fetches = 0;
    const fetch = () => (fetches++, upstream.promise);
    let shared = 0;
    const onShared = () => shared++;
    const all = Promise.all([reads.read('k', fetch, onShared), reads.read('k', fetch, onShared), reads.read('k', fetch, onShared)]);
    upstream.resolve({ data: { n: 1 } });
    const answers = await all;
    expect(fetches).toBe(1);
    expect(answers).toEqual([{ data: { n: 1 } }, { data: { n: 1 } }, { data: { n: 1 } }]);
    expect(answers[1]).not.toBe(answers[0]);
    expect(shared).toBe(2);
  });

  it('given a write completed after the running fetch started, then a read fetches anew and sees it', async () => {
    const reads = new InflightReads<string>();
    const old = deferred<string>();
    let shared = 0;
    const first = reads.read('k', () => old.promise);
    reads.writeCompleted();
    const second = reads.read('k', async () => 'after the write', () => shared++);
    // A read after that joins the fetch started since the write.
    const third = reads.read('k', async () => 'not fetched', () => shared++);
    old.resolve('before the write');
    expect(await first).toBe('before the write');
    expect(await second).toBe('after the write');
    expect(await third).toBe('after the write');
    expect(shared).toBe(1);
  });

  it('keeps different keys apart, and forgets a fetch once it has ended', async () => {
    const reads = new InflightReads<string>();
    expect(await Promise.all([reads.read('a', async () => 'A'), reads.read('b', async () => 'B')])).toEqual(['A', 'B']);
    expect(await reads.read('a', async () => 'A2')).toBe('A2');
  });

  it('given a failing fetch, then every reader that joined it gets the failure, and the next read tries again', async () => {
    const reads = new InflightReads<string>();
    const failing = deferred<string>();
    const a = reads.read('k', () => failing.promise);
    const b = reads.read('k', () => failing.promise);
    failing.reject(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await expect(b).rejects.toThrow('down');
    expect(await reads.read('k', async () => 'back')).toBe('back');
  });
});
