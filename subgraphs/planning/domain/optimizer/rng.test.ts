import { describe, expect, it } from 'vitest';
import { createRng, shuffle } from './rng.ts';

describe('createRng', () => {
  it('given the same seed, when drawing, then yields the same sequence', () => {
    const a = createRng(42);
    const b = createRng(42);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });

  it('given different seeds, when drawing, then the sequences differ', () => {
    const a = createRng(1);
    const b = createRng(2);
    expect(Array.from({ length: 5 }, () => a.next())).not.toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('given many draws, when bucketing int(10), then every value in range appears roughly evenly', () => {
    const rng = createRng(7);
    const counts = new Array<number>(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = rng.int(10);
      if (v < 0 || v >= 10 || !Number.isInteger(v)) outOfRange++;
      else counts[v] = (counts[v] as number) + 1;
    }
    expect(outOfRange).toBe(0);
    expect(Math.min(...counts)).toBeGreaterThan(850);
  });

  it('given a list, when shuffled, then it is a permutation of the input', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const out = shuffle(items.slice(), createRng(3));
    expect(out.slice().sort((x, y) => x - y)).toEqual(items);
    expect(out).not.toEqual(items);
  });
});
