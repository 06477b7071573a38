import { mulberry32 } from '../../../platform/random.ts';

/**
 * Seeded pseudo-random numbers (mulberry32). Tiny and fast; the optimizer
 * only needs reproducibility, not statistical perfection.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform float in [a, b). */
  range(a: number, b: number): number;
}

export function createRng(seed: number): Rng {
  // Force into uint32 so that any JS number gives a valid, reproducible state.
  const next = mulberry32(Math.trunc(seed) ^ 0x9e3779b9);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    range: (a: number, b: number) => a + (b - a) * next(),
  };
}

/** Fisher-Yates shuffle in place. */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
