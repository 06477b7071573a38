import { describe, expect, it } from 'vitest';
import { checkSolution } from './feasibility.ts';
import { buildInstance } from './instance.ts';
import type { ProblemInput } from './problem-input.ts';
import type { RouteResult, SolveResult } from './solve.ts';

// Stops on a line east of the depot: a at 1, b at 2, c at 3.
const problem: ProblemInput = {
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'a', x: 1, y: 0, demand: 4, timeWindow: [0, 5] },
    { id: 'b', x: 2, y: 0, demand: 4, serviceTime: 1 },
    { id: 'c', x: 3, y: 0, demand: 4, timeWindow: [10, 12] },
  ],
  vehicles: [{ id: 'v', capacity: 8, count: 2, shiftEnd: 20 }],
};
const inst = buildInstance(problem);

const route = (vehicleId: string, stopIndices: number[], distance: number): RouteResult => ({
  vehicleId,
  stops: stopIndices.map((i) => ['a', 'b', 'c'][i] as string),
  stopIndices,
  distance,
  load: 0,
  volume: 0,
  serviceStarts: [],
  returnTime: 0,
});

const result = (routes: RouteResult[], unserved: SolveResult['unserved'] = []): SolveResult => ({
  name: 't',
  routes,
  totalDistance: routes.reduce((a, r) => a + r.distance, 0),
  vehiclesUsed: routes.length,
  unserved,
  stats: { seed: 1, iterations: 0, bestIteration: 0, elapsedMs: 0, constructionDistance: 0 },
});

describe('checkSolution', () => {
  it('given a feasible plan, when checked, then there are no violations', () => {
    expect(checkSolution(inst, result([route('v#1', [0, 1], 4), route('v#2', [2], 6)]))).toEqual([]);
  });

  it('given an overloaded route, when checked, then the capacity violation is reported', () => {
    expect(checkSolution(inst, result([route('v#1', [0, 1, 2], 6)]))).toEqual([expect.stringContaining('load 12 exceeds capacity 8')]);
  });

  it('given a stop reached after its window closes, when checked, then the lateness is reported', () => {
    // c first (waits until 10, leaves 10), then a at 12 > 5.
    const problems = checkSolution(inst, result([route('v#1', [2, 0], 6), route('v#2', [1], 4)]));
    expect(problems).toEqual([expect.stringContaining('stop a served at 12, after its window closes at 5')]);
  });

  it('given a route that returns after the shift, when checked, then the shift violation is reported', () => {
    const tight = buildInstance({ ...problem, vehicles: [{ id: 'v', capacity: 8, count: 2, shiftEnd: 5 }] });
    const problems = checkSolution(tight, result([route('v#1', [0, 1], 4), route('v#2', [2], 6)]));
    expect(problems).toEqual([expect.stringContaining('after the shift ends at 5')]);
  });

  it('given a stop visited twice and one forgotten, when checked, then both are reported', () => {
    const problems = checkSolution(inst, result([route('v#1', [0], 2), route('v#2', [0, 1], 4)]));
    expect(problems).toContainEqual(expect.stringContaining('stop a visited by v#1 and v#2'));
    expect(problems).toContainEqual(expect.stringContaining('stop c neither served nor reported unserved'));
  });

  it('given a wrong reported distance, when checked, then the mismatch is reported', () => {
    const problems = checkSolution(inst, result([route('v#1', [0, 1], 5), route('v#2', [2], 6)]));
    expect(problems).toContainEqual(expect.stringContaining('reported distance 5, actual 4'));
  });

  it('given more routes than vehicles, when checked, then the fleet violation is reported', () => {
    const problems = checkSolution(inst, result([route('v#1', [0], 2), route('v#2', [1], 4), route('v#3', [2], 6)]));
    expect(problems).toContainEqual(expect.stringContaining('unknown vehicle'));
  });

  it('given an unserved stop that is reported, when checked, then the plan is consistent', () => {
    const unserved = [{ stopId: 'c', stopIndex: 2, reason: 'FLEET_TOO_SMALL' as const, message: '' }];
    expect(checkSolution(inst, result([route('v#1', [0, 1], 4)], unserved))).toEqual([]);
  });
});
