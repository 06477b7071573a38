import { describe, expect, it } from 'vitest';
import { bruteForce } from '../../subgraphs/planning/domain/optimizer/testing/brute-force.ts';
import { buildInstance } from '../../subgraphs/planning/domain/optimizer/instance.ts';
import { distanceLowerBound } from './lower-bound.ts';
import { tinyInstance } from '../../subgraphs/planning/domain/optimizer/testing/test-fixtures.ts';

describe('distanceLowerBound', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('given tiny instance %i, when bounded, then the bound never exceeds the exact optimum', (seed) => {
    const inst = buildInstance(tinyInstance(seed, 7, seed % 2 === 0));
    const exact = bruteForce(inst);
    expect(exact).not.toBeNull();
    const optimum = exact?.distance ?? 0;
    const plain = distanceLowerBound(inst, 0);
    const tuned = distanceLowerBound(inst, 0, { upperBound: optimum });
    expect(plain.bound).toBeGreaterThan(0);
    expect(tuned.bound).toBeLessThanOrEqual(optimum + 1e-6);
    // Subgradient steps can only raise the bound.
    expect(tuned.bound).toBeGreaterThanOrEqual(plain.bound - 1e-9);
  });

  it('given stops on a ring that each fill a vehicle, when bounded, then the radial bound is exact', () => {
    // Four stops at distance 10, one per route: optimum = 4 * 2 * 10.
    const inst = buildInstance({
      metric: 'euclidean',
      depots: [{ id: 'D', x: 0, y: 0 }],
      stops: [
        { id: 'a', x: 10, y: 0, demand: 5 },
        { id: 'b', x: 0, y: 10, demand: 5 },
        { id: 'c', x: -10, y: 0, demand: 5 },
        { id: 'd', x: 0, y: -10, demand: 5 },
      ],
      vehicles: [{ id: 'v', capacity: 5, count: 4 }],
    });
    expect(distanceLowerBound(inst, 0).radial).toBeCloseTo(80, 9);
  });
});
