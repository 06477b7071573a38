import { describe, expect, it } from 'vitest';
import { checkSolution } from './feasibility.ts';
import { buildInstance } from './instance.ts';
import { generateVrptw } from './testing/instance-generator.ts';
import { OptimizerInputError, type ProblemInput } from './problem-input.ts';
import { solve, solveInstance } from './solve.ts';

// Each stop is 1 from the depot and 5 from every other stop: one route per
// stop is shortest (8), one route for all is fewest vehicles (17).
const star = (extra: Partial<ProblemInput> = {}): ProblemInput => {
  const size = 5;
  const distances = Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => (i === j ? 0 : i === 0 || j === 0 ? 1 : 5)));
  return {
    metric: 'matrix',
    matrix: { distances },
    depots: [{ id: 'D' }],
    stops: [1, 2, 3, 4].map((i) => ({ id: `s${i}`, demand: 1 })),
    vehicles: [{ id: 'v', capacity: 10, count: 4 }],
    ...extra,
  };
};

describe('objective', () => {
  it('given stops cheaper to serve one by one, when solved distance-first, then every stop gets its own vehicle', () => {
    const r = solve(star(), { maxIterations: 200, timeLimitMs: 60_000 });
    expect([r.vehiclesUsed, r.totalDistance]).toEqual([4, 8]);
  });

  it('given the same stops, when solved vehicles-first, then one vehicle serves them all', () => {
    const r = solve(star(), { maxIterations: 200, timeLimitMs: 60_000, objective: 'vehicles-first' });
    expect([r.vehiclesUsed, r.totalDistance]).toEqual([1, 17]);
  });

  it('given the objective in the problem, when solved without an option, then the problem decides; the option overrides it', () => {
    expect(solve(star({ objective: 'vehicles-first' }), { maxIterations: 200, timeLimitMs: 60_000 }).vehiclesUsed).toBe(1);
    expect(solve(star({ objective: 'vehicles-first' }), { maxIterations: 200, timeLimitMs: 60_000, objective: 'distance' }).vehiclesUsed).toBe(4);
  });

  it('given an unknown objective, when solved, then the field is named', () => {
    expect(() => solve(star({ objective: 'cheapest' as never }))).toThrow(OptimizerInputError);
    expect(() => solve(star({ objective: 'cheapest' as never }))).toThrow(/objective: must be one of distance, vehicles-first/);
  });

  it('given a Solomon-like instance, when solved vehicles-first, then the plan is feasible, serves everyone and uses no more vehicles than distance-first', () => {
    const inst = buildInstance(generateVrptw({ customers: 40, kind: 'C', seed: 3 }));
    const byDistance = solveInstance(inst, { seed: 1, maxIterations: 200, timeLimitMs: 60_000 });
    const byVehicles = solveInstance(inst, { seed: 1, maxIterations: 200, timeLimitMs: 60_000, objective: 'vehicles-first' });
    expect(checkSolution(inst, byVehicles)).toEqual([]);
    expect(byVehicles.unserved).toEqual([]);
    expect(byVehicles.vehiclesUsed).toBeLessThanOrEqual(byDistance.vehiclesUsed);
  });

  it('given random and mixed Solomon-like instances, when solved vehicles-first, then route elimination finds a plan with a vehicle fewer than distance-first', () => {
    // 300 iterations each: the ejection pool re-homes a whole route where the ALNS alone did not.
    for (const [kind, seed] of [['R', 4], ['RC', 2]] as const) {
      const inst = buildInstance(generateVrptw({ customers: 60, kind, seed }));
      const byDistance = solveInstance(inst, { seed: 1, maxIterations: 300, timeLimitMs: 3_600_000 });
      const byVehicles = solveInstance(inst, { seed: 1, maxIterations: 300, timeLimitMs: 3_600_000, objective: 'vehicles-first' });
      expect(checkSolution(inst, byVehicles)).toEqual([]);
      expect(byVehicles.unserved).toEqual([]);
      expect(byVehicles.vehiclesUsed).toBeLessThan(byDistance.vehiclesUsed);
    }
  });
});
