import { describe, expect, it } from 'vitest';
import { runInWorker, WorkerTaskError } from './worker.ts';

const fixture = new URL('./ids.ts', import.meta.url);

describe('running a function on a worker thread', () => {
  it('given a pure export, then its result comes back', async () => {
    expect(await runInWorker<boolean>(fixture, 'isUuid', ['01900000-0000-7000-8000-000000000001'], { timeoutMs: 20_000 })).toBe(true);
  });

  it('given a missing export, then the error comes back with its name and message', async () => {
    const error = await runInWorker(fixture, 'nope', [], { timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerTaskError);
    expect((error as Error).message).toMatch(/exports no function nope/);
  });
});
