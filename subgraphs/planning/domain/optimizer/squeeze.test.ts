import { describe, expect, it } from 'vitest';
import { buildInstance } from './instance.ts';
import { buildNeighbours } from './neighbours.ts';
import type { ProblemInput } from './problem-input.ts';
import { Solution } from './solution.ts';
import { capacityWeight, squeeze } from './squeeze.ts';
import { routeTimeWarp } from './time-warp.ts';

// Depot at 0; a, b east at 10 and 20, c, d west at -10 and -20; travel time = distance.
const plan = (windows: Record<string, [number, number]>, capacity = 10): ProblemInput => ({
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'a', x: 10, y: 0, demand: 2, timeWindow: windows.a ?? [0, 500] },
    { id: 'b', x: 20, y: 0, demand: 2, timeWindow: windows.b ?? [0, 500] },
    { id: 'c', x: -10, y: 0, demand: 2, timeWindow: windows.c ?? [0, 500] },
    { id: 'd', x: -20, y: 0, demand: 2, timeWindow: windows.d ?? [0, 500] },
  ],
  vehicles: [{ id: 'v', capacity, shiftStart: 0, shiftEnd: 500, count: 2 }],
});

describe('squeeze', () => {
  it('given a route that reaches a stop late, when squeezed, then moves between routes remove the lateness', () => {
    // b is due at 25 but its route visits the far west first: it must move to the east route.
    const inst = buildInstance(plan({ b: [0, 25] }));
    const s = new Solution(inst);
    s.addRoute(0, [1]); // a
    s.addRoute(0, [3, 4, 2]); // c at 10, d at 20, then b at 60: 35 late
    expect(routeTimeWarp(inst, s.routes[1]!)).toBeGreaterThan(0);
    expect(squeeze(s, buildNeighbours(inst, 3), capacityWeight(inst))).toBe(true);
    expect(s.routes.every((r) => r.timeOk && r.load <= 10)).toBe(true);
    expect(s.routes.flatMap((r) => [...r.nodes]).sort()).toEqual([1, 2, 3, 4]);
  });

  it('given an overloaded route and room elsewhere, when squeezed, then the load is spread', () => {
    const inst = buildInstance(plan({}, 5));
    const s = new Solution(inst);
    s.addRoute(0, [1, 2, 3]); // 6 > 5
    s.addRoute(0, [4]);
    expect(squeeze(s, buildNeighbours(inst, 3), capacityWeight(inst))).toBe(true);
    expect(s.routes.every((r) => r.load <= 5)).toBe(true);
  });

  it('given windows no plan can keep, when squeezed, then it reports failure', () => {
    // a and b both due at 10: b (20 away) is late whoever serves it.
    const inst = buildInstance(plan({ a: [0, 10], b: [0, 10] }));
    const s = new Solution(inst);
    s.addRoute(0, [1, 2]);
    s.addRoute(0, [3, 4]);
    expect(squeeze(s, buildNeighbours(inst, 3), capacityWeight(inst))).toBe(false);
  });
});
