import { describe, expect, it } from 'vitest';
import { buildInstance } from './instance.ts';
import { LocalSearch } from './local-search.ts';
import { buildNeighbours } from './neighbours.ts';
import type { ProblemInput } from './problem-input.ts';
import { createRng } from './rng.ts';
import { Solution } from './solution.ts';

// Corners of a square around the depot; node ids: ne=1, nw=2, sw=3, se=4.
const square = (extra: Partial<ProblemInput> = {}): ProblemInput => ({
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'ne', x: 1, y: 1, demand: 1 },
    { id: 'nw', x: -1, y: 1, demand: 1 },
    { id: 'sw', x: -1, y: -1, demand: 1 },
    { id: 'se', x: 1, y: -1, demand: 1 },
  ],
  vehicles: [{ id: 'v', capacity: 10, count: 2 }],
  ...extra,
});

const improve = (problem: ProblemInput, routes: number[][]): Solution => {
  const inst = buildInstance(problem);
  const sol = new Solution(inst);
  for (const r of routes) sol.addRoute(0, r);
  new LocalSearch(inst, buildNeighbours(inst, 20)).run(sol, createRng(1), null, () => false);
  return sol;
};

const PERIMETER_TOUR = 2 * Math.SQRT2 + 3 * 2;

describe('LocalSearch', () => {
  it('given a route that crosses itself, when improved, then it becomes the perimeter tour', () => {
    const sol = improve(square(), [[1, 3, 2, 4]]);
    expect(sol.distance()).toBeCloseTo(PERIMETER_TOUR, 9);
  });

  it('given a stop stranded on its own route, when improved, then it joins the other route', () => {
    const sol = improve(square(), [[1, 2, 3], [4]]);
    expect(sol.routes).toHaveLength(1);
    expect(sol.distance()).toBeCloseTo(PERIMETER_TOUR, 9);
  });

  it('given windows that forbid the shorter order, when improved, then the feasible order is kept', () => {
    // se must be served first and nw last, so the detour stays.
    const p = square({ vehicles: [{ id: 'v', capacity: 10, count: 1 }] });
    p.stops = p.stops.map((s) =>
      s.id === 'se' ? { ...s, timeWindow: [0, 2] } : s.id === 'nw' ? { ...s, timeWindow: [20, 30] } : { ...s, timeWindow: [0, 15] },
    );
    const sol = improve(p, [[4, 3, 1, 2]]);
    const route = sol.routes[0];
    expect(route?.timeOk).toBe(true);
    expect(route?.nodes[0]).toBe(4);
    expect(route?.nodes[3]).toBe(2);
    // Any se-first, nw-last order costs 4*sqrt(2) + 4, above the infeasible perimeter tour.
    expect(sol.distance()).toBeCloseTo(4 * Math.SQRT2 + 4, 9);
  });

  it('given capacity that forbids merging, when improved, then routes are not overloaded', () => {
    const p = square({ vehicles: [{ id: 'v', capacity: 2, count: 2 }] });
    const sol = improve(p, [[1, 3], [2, 4]]);
    expect(sol.routes.every((r) => r.load <= 2)).toBe(true);
    // Best split: two sides of the square.
    expect(sol.distance()).toBeCloseTo(2 * (2 * Math.SQRT2 + 2), 9);
  });
});
