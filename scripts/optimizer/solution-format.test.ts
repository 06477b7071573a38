import { describe, expect, it } from 'vitest';
import { formatCost, toCvrplibSol } from './solution-format.ts';
import type { SolveResult } from '../../subgraphs/planning/domain/optimizer/solve.ts';

const result = (total: number): SolveResult => ({
  name: 'x',
  routes: [
    { vehicleId: 'v#1', stops: ['4', '8', '3'], stopIndices: [2, 6, 1], distance: 10, load: 0, volume: 0, serviceStarts: [], returnTime: 0 },
    { vehicleId: 'v#2', stops: ['2'], stopIndices: [0], distance: 5, load: 0, volume: 0, serviceStarts: [], returnTime: 0 },
  ],
  totalDistance: total,
  vehiclesUsed: 2,
  unserved: [],
  stats: { seed: 1, iterations: 0, bestIteration: 0, elapsedMs: 0, constructionDistance: 0 },
});

describe('toCvrplibSol', () => {
  it('given routes, when formatted, then customers are numbered 1..n in file order without the depot', () => {
    expect(toCvrplibSol(result(15))).toBe('Route #1: 3 7 2\nRoute #2: 1\nCost 15\n');
  });

  it('given a fractional cost with float noise, when formatted, then the noise is dropped', () => {
    expect(formatCost(0.1 + 0.2)).toBe('0.3');
    expect(formatCost(827.3)).toBe('827.3');
    expect(formatCost(784)).toBe('784');
  });
});
