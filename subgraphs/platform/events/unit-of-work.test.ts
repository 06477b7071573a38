import { describe, expect, it } from 'vitest';
import { unitOfWork, wakeRelaysAfterRequest } from './unit-of-work.ts';

/** A database whose transactions run the work and report commit or rollback. */
const fakeDb = (log: string[]) => ({
  $transaction: async <T>(work: (tx: string) => Promise<T>) => {
    try {
      const result = await work('tx');
      log.push('commit');
      return result;
    } catch (error) {
      log.push('rollback');
      throw error;
    }
  },
});

describe('unitOfWork', () => {
  it('given a command that commits, then the relay is woken after the commit, once, and the result comes back', async () => {
    const log: string[] = [];
    const commit = unitOfWork(fakeDb(log), { notify: () => void log.push('notify') });
    const result = await commit(async (tx) => {
      log.push(`write in ${tx}`);
      return 42;
    });
    expect(result).toBe(42);
    expect(log).toEqual(['write in tx', 'commit', 'notify']);
  });

  it('given a command that throws, then nothing is woken and the error reaches the caller', async () => {
    const log: string[] = [];
    const commit = unitOfWork(fakeDb(log), { notify: () => void log.push('notify') });
    await expect(commit(async () => Promise.reject(new Error('conflict')))).rejects.toThrow('conflict');
    expect(log).toEqual(['rollback']);
  });

  it('given two commits in one request, then the relay is woken once, when the request ends', async () => {
    const log: string[] = [];
    const relay = { notify: () => void log.push('notify') };
    const commit = unitOfWork(fakeDb(log), relay);
    await wakeRelaysAfterRequest(async () => {
      await commit(async () => log.push('command'));
      await commit(async () => log.push('audit record'));
      log.push('response written');
    });
    expect(log).toEqual(['command', 'commit', 'audit record', 'commit', 'response written', 'notify']);
  });

  it('given a request that fails after a commit, then the relay is still woken for what committed', async () => {
    const log: string[] = [];
    const commit = unitOfWork(fakeDb(log), { notify: () => void log.push('notify') });
    await expect(
      wakeRelaysAfterRequest(async () => {
        await commit(async () => log.push('command'));
        throw new Error('response failed');
      }),
    ).rejects.toThrow('response failed');
    expect(log).toEqual(['command', 'commit', 'notify']);
  });
});
