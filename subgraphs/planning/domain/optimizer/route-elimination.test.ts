import { describe, expect, it } from 'vitest';
import { timeWindowBound } from './fleet-bound.ts';
import { buildInstance, type Instance } from './instance.ts';
import { generateVrptw } from './testing/instance-generator.ts';
import { buildNeighbours } from './neighbours.ts';
import type { ProblemInput } from './problem-input.ts';
import { createRng } from './rng.ts';
import { eliminateRoute } from './route-elimination.ts';
import { Solution } from './solution.ts';
import { solveInstance } from './solve.ts';

/** A plan from the solver's distance objective (short, deterministic run), as a search state. */
function planOf(inst: Instance, iterations: number): Solution {
  const result = solveInstance(inst, { seed: 1, maxIterations: iterations, timeLimitMs: 3_600_000 });
  const s = new Solution(inst);
  for (const r of result.routes) s.addRoute(0, r.stopIndices.map((i) => i + inst.depotCount));
  return s;
}

/** Every stop once, every route within capacity, windows and shift. */
function expectFeasibleAndComplete(inst: Instance, s: Solution): void {
  const seen = s.routes.flatMap((r) => [...r.nodes]).sort((a, b) => a - b);
  expect(seen).toEqual(Array.from({ length: inst.stopCount }, (_, i) => i + inst.depotCount));
  expect(s.unassigned).toEqual([]);
  for (const r of s.routes) {
    expect(r.timeOk).toBe(true);
    expect(r.load).toBeLessThanOrEqual(inst.vehicleTypes[r.type]!.capacity);
  }
}

// Three stops whose windows cannot be chained in any order (each opens after the
// others close, minus the drive), plus one that fits anywhere: three vehicles at least.
const clashing = (): ProblemInput => ({
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'a', x: 10, y: 0, demand: 1, timeWindow: [20, 25] },
    { id: 'b', x: -10, y: 0, demand: 1, timeWindow: [20, 25] },
    { id: 'c', x: 0, y: 10, demand: 1, timeWindow: [20, 25] },
    { id: 'd', x: 0, y: 5, demand: 1, timeWindow: [0, 200] },
  ],
  vehicles: [{ id: 'v', capacity: 10, shiftStart: 0, shiftEnd: 200, count: 4 }],
});

describe('route elimination', () => {
  it('given a feasible plan of a Solomon-like instance, when a route is eliminated, then every stop is served feasibly by one vehicle fewer', () => {
    const inst = buildInstance(generateVrptw({ customers: 60, kind: 'R', seed: 4 }));
    const plan = planOf(inst, 200);
    const before = plan.routes.length;
    const out = eliminateRoute(plan, { rng: createRng(1), nb: buildNeighbours(inst, 20), stop: () => false, maxSteps: 5000 });
    expect(out.solution).not.toBeNull();
    expect(out.solution!.routes.length).toBeLessThanOrEqual(before - 1);
    expectFeasibleAndComplete(inst, out.solution!);
    // The plan handed in is left as it was.
    expect(plan.routes.length).toBe(before);
    expectFeasibleAndComplete(inst, plan);
  });

  it('given stops that pairwise cannot share a vehicle, when the bound is taken, then it counts one vehicle each', () => {
    const inst = buildInstance(clashing());
    expect(timeWindowBound(inst, [1, 2, 3, 4])).toBe(3);
    expect(timeWindowBound(inst, [1, 4])).toBe(1);
  });

  it('given a plan already at the time-window bound, when a route is eliminated, then it gives up within its step budget', () => {
    const inst = buildInstance(clashing());
    const plan = new Solution(inst);
    plan.addRoute(0, [1, 4]);
    plan.addRoute(0, [2]);
    plan.addRoute(0, [3]);
    const out = eliminateRoute(plan, { rng: createRng(2), nb: buildNeighbours(inst, 20), stop: () => false, maxSteps: 300 });
    expect(out.solution).toBeNull();
    expect(out.steps).toBe(300);
  });
});
