import { describe, expect, it } from 'vitest';
import { ejectAndRefill, repairCapacity } from './capacity-repair.ts';
import { greedyRepair } from './insertion.ts';
import { buildInstance } from './instance.ts';
import { LocalSearch } from './local-search.ts';
import { buildNeighbours } from './neighbours.ts';
import type { ProblemInput } from './problem-input.ts';
import { refillRepair } from './refill-repair.ts';
import { createRng } from './rng.ts';
import { Solution } from './solution.ts';

// Two vans of 10 on a line; demands 6, 4, 5, 5 fit only as {6,4} + {5,5}.
const line: ProblemInput = {
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'a', x: 1, y: 0, demand: 6 },
    { id: 'b', x: 2, y: 0, demand: 4 },
    { id: 'c', x: 3, y: 0, demand: 5 },
    { id: 'd', x: 4.5, y: 0, demand: 5 },
  ],
  vehicles: [{ id: 'v', capacity: 10, count: 2 }],
};

const planOf = (routes: number[][]): Solution => {
  const sol = new Solution(buildInstance(line));
  for (const r of routes) sol.addRoute(0, r);
  return sol;
};
const loads = (s: Solution): number[] => s.routes.map((r) => r.load).sort((x, y) => x - y);

describe('capacity penalties', () => {
  it('given an overloaded plan (11 + 9), when measured, then the excess is a tenth of a vehicle', () => {
    expect(planOf([[1, 3], [2, 4]]).excess()).toBeCloseTo(0.1, 12);
  });

  it('given an overloaded plan and a finite penalty, when the local search runs, then it trades distance for feasibility', () => {
    const sol = planOf([[1, 3], [2, 4]]);
    const ls = new LocalSearch(sol.inst, buildNeighbours(sol.inst, 20));
    ls.penalty = 1000;
    ls.run(sol, createRng(1), null, () => false);
    expect(sol.excess()).toBe(0);
    expect(loads(sol)).toEqual([10, 10]);
  });

  it('given a feasible plan and no penalty, when the local search runs, then no move overloads a vehicle', () => {
    // Merging everything on one route would be shorter but breaks capacity.
    const sol = planOf([[1, 2], [3, 4]]);
    new LocalSearch(sol.inst, buildNeighbours(sol.inst, 20)).run(sol, createRng(1), null, () => false);
    expect(loads(sol)).toEqual([10, 10]);
  });

  it('given an overloaded plan, when repaired by packing moves, then every route fits', () => {
    const sol = planOf([[1, 3], [2, 4]]);
    expect(repairCapacity(sol, 10)).toBe(true);
    expect(loads(sol)).toEqual([10, 10]);
  });

  it('given an overloaded plan, when stops are ejected and refilled, then every stop finds a place within capacity', () => {
    const sol = planOf([[1, 3], [2, 4]]);
    const rng = createRng(1);
    const nb = buildNeighbours(sol.inst, 20);
    const ok = ejectAndRefill(sol, (x) => refillRepair(x, rng), (x) => greedyRepair(x, nb, rng, 'demand', 0));
    expect(ok).toBe(true);
    expect(sol.unassigned).toEqual([]);
    expect(loads(sol)).toEqual([10, 10]);
  });

  it('given rooms of 4 and 5 and loose stops of 5 and 4, when refilled, then each room is filled exactly', () => {
    const sol = planOf([[1], [3]]);
    sol.unassigned.push(2, 4);
    refillRepair(sol, createRng(1));
    expect(sol.unassigned).toEqual([]);
    expect(loads(sol)).toEqual([10, 10]);
  });
});
