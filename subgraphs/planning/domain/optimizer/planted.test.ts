import { describe, expect, it } from 'vitest';
import { checkSolution } from './feasibility.ts';
import { buildInstance } from './instance.ts';
import { generatePlanted } from './testing/instance-generator.ts';
import { buildNeighbours } from './neighbours.ts';
import { packedConstruction, repackRegion } from './packing-construction.ts';
import { createRng } from './rng.ts';
import { solveInstance, TIGHT_STARTS } from './solve.ts';

describe('generatePlanted', () => {
  it.each([
    [100, 1],
    [157, 2],
    [200, 3],
  ])('given %i customers (seed %i), when generated, then every planted route is loaded to exactly the capacity', (customers, seed) => {
    const { problem, vehicles, plan } = generatePlanted({ customers, seed });
    expect(problem.stops).toHaveLength(customers);
    expect(problem.vehicles).toEqual([{ id: 'truck', capacity: 1000, count: vehicles }]);
    expect(plan).toHaveLength(vehicles);
    expect(plan.flat().sort((a, b) => a - b)).toEqual(problem.stops.map((_, i) => i));
    const demand = (i: number): number => problem.stops[i]?.demand as number;
    for (const route of plan) expect(route.reduce((a, i) => a + demand(i), 0)).toBe(1000);
    for (const s of problem.stops) {
      expect(s.demand).toBeGreaterThanOrEqual(50);
      expect(s.demand).toBeLessThanOrEqual(330);
    }
  });

  it('given the same spec twice, when generated, then the instances are identical', () => {
    expect(generatePlanted({ customers: 120, seed: 4, layout: 'clustered' })).toEqual(generatePlanted({ customers: 120, seed: 4, layout: 'clustered' }));
  });
});

describe('tight fixed fleets', () => {
  it.each([
    [110, 1, 'random'],
    [130, 2, 'clustered'],
  ] as const)(
    'given a planted instance of %i customers (seed %i, %s) and exactly its vehicles, when solved, then every customer is served within the fleet',
    (customers, seed, layout) => {
      const { problem, vehicles } = generatePlanted({ customers, seed, layout });
      const inst = buildInstance(problem);
      // An iteration budget keeps the test deterministic and independent of the machine's speed.
      const result = solveInstance(inst, { seed: 1, maxIterations: 100, timeLimitMs: 60_000 });
      expect(checkSolution(inst, result)).toEqual([]);
      expect(result.unserved).toEqual([]);
      expect(result.vehiclesUsed).toBe(vehicles);
      for (const r of result.routes) expect(r.load).toBe(1000);
    },
  );

  it('given planted tight instances and an iteration budget, when solved, then the starts share the budget exactly and on some the second start gives the plan', () => {
    // Tight fleets get TIGHT_STARTS independent searches; a broken second start would
    // never win (every best found in the first half) or would change the iteration count.
    const budget = 400;
    const bestIterations: number[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const { problem, vehicles } = generatePlanted({ customers: 60, seed });
      const inst = buildInstance(problem);
      const result = solveInstance(inst, { seed: 1, maxIterations: budget, timeLimitMs: 60_000 });
      expect(checkSolution(inst, result)).toEqual([]);
      expect(result.unserved).toEqual([]);
      expect(result.vehiclesUsed).toBe(vehicles);
      expect(result.stats.iterations).toBe(budget);
      bestIterations.push(result.stats.bestIteration);
    }
    expect(TIGHT_STARTS).toBe(2);
    expect(bestIterations.some((i) => i >= budget / 2)).toBe(true);
  });

  it('given a planted instance, when packed, then the exact-fill construction serves every customer with the planted fleet', () => {
    const { problem, vehicles } = generatePlanted({ customers: 150, seed: 6 });
    const inst = buildInstance(problem);
    const routable = Array.from({ length: inst.stopCount }, (_, i) => inst.depotCount + i);
    const sol = packedConstruction(inst, routable, createRng(1), 8);
    expect(sol?.unassigned).toEqual([]);
    expect(sol?.routes).toHaveLength(vehicles);
    for (const r of sol?.routes ?? []) expect(r.load).toBe(1000);
  });

  it('given a packed plan, when regions are re-packed, then every vehicle stays exactly full and every stop keeps one place', () => {
    const { problem, vehicles } = generatePlanted({ customers: 120, seed: 7 });
    const inst = buildInstance(problem);
    const routable = Array.from({ length: inst.stopCount }, (_, i) => inst.depotCount + i);
    const sol = packedConstruction(inst, routable, createRng(1), 2);
    if (!sol) throw new Error('expected a packed plan');
    const nb = buildNeighbours(inst, 20);
    const rng = createRng(3);
    let done = 0;
    for (let i = 0; i < 20; i++) if (repackRegion(sol, nb, rng, 3, 4)) done++;
    expect(done).toBeGreaterThan(0);
    expect(sol.routes).toHaveLength(vehicles);
    for (const r of sol.routes) expect(r.load).toBe(1000);
    const placed = sol.routes.flatMap((r) => r.nodes).sort((a, b) => a - b);
    expect(placed).toEqual(routable);
    sol.routes.forEach((r, ri) => r.nodes.forEach((u, p) => expect([sol.routeOf[u], sol.posOf[u]]).toEqual([ri, p])));
  });

  it('given windows, when packing is asked for, then it declines (the exact fill ignores time)', () => {
    const { problem } = generatePlanted({ customers: 100, seed: 1 });
    const inst = buildInstance({ ...problem, stops: problem.stops.map((s) => ({ ...s, timeWindow: [0, 1e6] as [number, number] })) });
    expect(packedConstruction(inst, [inst.depotCount], createRng(1), 1)).toBeNull();
  });
});
