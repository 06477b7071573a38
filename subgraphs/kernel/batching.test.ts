import { describe, expect, it } from 'vitest';
import { loadBatched } from './batching.ts';

describe('loadBatched', () => {
  it('loads every key asked for in one turn with one call, duplicates included', async () => {
    const calls: string[][] = [];
    const load = async (keys: string[]) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    };
    const ctx = {};
    const values = await Promise.all(['a', 'b', 'a', 'missing'].map((k) => loadBatched(ctx, 'letters', k, load)));
    expect(values).toEqual(['A', 'B', 'A', null]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
  });

  it('keeps requests and batch names apart', async () => {
    const calls: string[] = [];
    const load = (tag: string) => async (keys: string[]) => {
      calls.push(`${tag}:${keys.join(',')}`);
      return new Map(keys.map((k) => [k, `${tag}${k}`]));
    };
    const [one, two] = [{}, {}];
    const values = await Promise.all([loadBatched(one, 'x', '1', load('one')), loadBatched(two, 'x', '1', load('two')), loadBatched(one, 'y', '1', load('y'))]);
    expect(values).toEqual(['one1', 'two1', 'y1']);
    expect(calls.sort()).toEqual(['one:1', 'two:1', 'y:1']);
  });

  it('starts a new batch for keys asked after the last one was loaded', async () => {
    const calls: string[][] = [];
    const ctx = {};
    const load = async (keys: string[]) => (calls.push(keys), new Map(keys.map((k) => [k, k])));
    await loadBatched(ctx, 'n', '1', load);
    await loadBatched(ctx, 'n', '2', load);
    expect(calls).toEqual([['1'], ['2']]);
  });

  it('rejects every waiting caller when the load fails', async () => {
    const ctx = {};
    const load = async () => {
      throw new Error('database down');
    };
    const results = await Promise.allSettled([loadBatched(ctx, 'f', '1', load), loadBatched(ctx, 'f', '2', load)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
