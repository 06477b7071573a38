import { describe, expect, it } from 'vitest';
import { exactDescent, repackExactly, shortestOrder } from './exact-repack.ts';
import { buildInstance, type Instance, type VehicleType } from './instance.ts';
import { buildNeighbours } from './neighbours.ts';
import { packedConstruction } from './packing-construction.ts';
import type { ProblemInput } from './problem-input.ts';
import { createRng } from './rng.ts';
import { Solution } from './solution.ts';
import { generatePlanted } from './testing/instance-generator.ts';

// Nine stops in three vans of 10, every van exactly full: {6,3,1}, {5,4,1}, {2,7,1} are one split of many.
const DEMANDS = [6, 3, 1, 5, 4, 1, 2, 7, 1];

function zeroSlack(seed: number): Instance {
  const rng = createRng(seed);
  const problem: ProblemInput = {
    metric: 'euclidean',
    depots: [{ id: 'D', x: 50, y: 50 }],
    stops: DEMANDS.map((demand, i) => ({ id: `s${i}`, x: rng.int(101), y: rng.int(101), demand })),
    vehicles: [{ id: 'v', capacity: 10, count: 3 }],
  };
  return buildInstance(problem);
}

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

function tourLength(inst: Instance, vt: VehicleType, order: readonly number[]): number {
  const n = inst.nodeCount;
  let d = 0;
  let at = vt.startNode;
  for (const u of order) {
    d += inst.dist[at * n + u] as number;
    at = u;
  }
  return d + (inst.dist[at * n + vt.endNode] as number);
}

/** Shortest plan with every van exactly full, by trying every assignment and order. */
function bruteForce(inst: Instance): number {
  const vt = inst.vehicleTypes[0] as VehicleType;
  const stops = DEMANDS.map((_, i) => inst.depotCount + i);
  let best = Infinity;
  for (let code = 0; code < 3 ** stops.length; code++) {
    const groups: number[][] = [[], [], []];
    for (let i = 0, c = code; i < stops.length; i++, c = Math.floor(c / 3)) (groups[c % 3] as number[]).push(stops[i] as number);
    if (groups.some((g) => g.length === 0 || g.reduce((a, u) => a + (inst.demand[u] as number), 0) !== 10)) continue;
    const total = groups.reduce((a, g) => a + Math.min(...permutations(g).map((p) => tourLength(inst, vt, p))), 0);
    best = Math.min(best, total);
  }
  return best;
}

const byDemand = (inst: Instance): number[][] => [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
].map((g) => g.map((i) => inst.depotCount + i));

describe('exact re-packing', () => {
  it('given a few stops, when ordered exactly, then no visiting order is shorter', () => {
    const inst = zeroSlack(3);
    const vt = inst.vehicleTypes[0] as VehicleType;
    const stops = [1, 2, 4, 5, 7, 8].map((i) => inst.depotCount + i);
    const { length, nodes } = shortestOrder(inst, vt, stops);
    expect([...nodes].sort((a, b) => a - b)).toEqual(stops);
    expect(length).toBeCloseTo(tourLength(inst, vt, nodes), 9);
    expect(length).toBeCloseTo(Math.min(...permutations(stops).map((p) => tourLength(inst, vt, p))), 9);
  });

  it.each([1, 2, 3, 4, 5])(
    'given three full vans grouped by demand alone (seed %i), when re-packed, then the plan is the shortest with every van exactly full',
    (seed) => {
      const inst = zeroSlack(seed);
      const sol = new Solution(inst);
      for (const g of byDemand(inst)) sol.addRoute(0, g);
      const optimum = bruteForce(inst);
      const before = sol.distance();
      const changed = repackExactly(sol, [0, 1, 2]);
      expect(sol.distance()).toBeCloseTo(optimum, 9);
      expect(changed).toBe(optimum < before - 1e-9);
      for (const r of sol.routes) expect(r.load).toBe(10);
      expect(sol.routes.flatMap((r) => r.nodes).sort((a, b) => a - b)).toEqual(DEMANDS.map((_, i) => inst.depotCount + i));
      sol.routes.forEach((r, ri) => r.nodes.forEach((u, p) => expect([sol.routeOf[u], sol.posOf[u]]).toEqual([ri, p])));
      // The best split is settled: asking again changes nothing.
      const routes = sol.routes.slice();
      expect(repackExactly(sol, [0, 1, 2])).toBe(false);
      expect(sol.routes).toEqual(routes);
    },
  );

  it('given time windows, when re-packing is asked for, then it declines and leaves the plan alone', () => {
    const base = zeroSlack(1);
    const inst = { ...base, hasTime: true };
    const sol = new Solution(inst);
    for (const g of byDemand(base)) sol.addRoute(0, g);
    const routes = sol.routes.slice();
    expect(repackExactly(sol, [0, 1, 2])).toBe(false);
    expect(sol.routes).toEqual(routes);
  });

  it('given a packed planted plan, when the descent runs, then it is no longer, every vehicle stays exactly full and every stop keeps one place', () => {
    const { problem, vehicles } = generatePlanted({ customers: 100, seed: 5 });
    const inst = buildInstance(problem);
    const routable = Array.from({ length: inst.stopCount }, (_, i) => inst.depotCount + i);
    const sol = packedConstruction(inst, routable, createRng(1), 2);
    if (!sol) throw new Error('expected a packed plan');
    const before = sol.distance();
    const wins = exactDescent(sol, buildNeighbours(inst, 20), 300);
    expect(wins).toBeGreaterThan(0);
    expect(sol.distance()).toBeLessThan(before);
    expect(sol.routes).toHaveLength(vehicles);
    for (const r of sol.routes) expect(r.load).toBe(1000);
    expect(sol.routes.flatMap((r) => r.nodes).sort((a, b) => a - b)).toEqual(routable);
    sol.routes.forEach((r, ri) => r.nodes.forEach((u, p) => expect([sol.routeOf[u], sol.posOf[u]]).toEqual([ri, p])));
  });
});
