import { describe, expect, it } from 'vitest';
import { i1Construction } from './construction.ts';
import { crossExchange } from './cross-exchange.ts';
import { buildInstance, type Instance } from './instance.ts';
import { buildNeighbours } from './neighbours.ts';
import type { ProblemInput } from './problem-input.ts';
import { makeRoute } from './route.ts';
import { Solution } from './solution.ts';
import { generatePlanted, generateVrptw } from './testing/instance-generator.ts';

// Two full vans of 10. West route w1 Y1 Y2 w2 carries two light stops (2 + 2) from the east;
// east route e1 X e2 carries one stop of 4 from the west. No single stop can move (both vans
// are full) and no swap of one stop for one stop keeps the loads; trading X for Y1 Y2 does.
const crossed: ProblemInput = {
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'e1', x: 10, y: 0, demand: 3 },
    { id: 'X', x: -10.5, y: 1, demand: 4 },
    { id: 'e2', x: 11, y: 0, demand: 3 },
    { id: 'w1', x: -10, y: 0, demand: 3 },
    { id: 'Y1', x: 10.5, y: 1, demand: 2 },
    { id: 'Y2', x: 10.6, y: 1.2, demand: 2 },
    { id: 'w2', x: -11, y: 0, demand: 3 },
  ],
  vehicles: [{ id: 'v', capacity: 10, count: 2 }],
};

const ids = (s: Solution, inst: Instance): string[][] => s.routes.map((r) => r.nodes.map((u) => inst.nodeIds[u] as string).sort()).sort();
const served = (s: Solution): number[] => s.routes.flatMap((r) => r.nodes).sort((a, b) => a - b);

/** Every route rebuilt from its stops keeps its windows and capacity. */
function expectFeasible(s: Solution): void {
  for (const r of s.routes) {
    const again = makeRoute(s.inst, r.type, r.nodes);
    expect(again.timeOk).toBe(true);
    expect(again.load).toBeLessThanOrEqual((s.inst.vehicleTypes[r.type]?.capacity ?? 0) + 1e-9);
  }
}

describe('crossExchange', () => {
  it('given two full vans each carrying the other side\'s stops, when run, then one stop of 4 trades places with two of 2 and both vans stay full', () => {
    const inst = buildInstance(crossed);
    const s = new Solution(inst);
    s.addRoute(0, [1, 2, 3]);
    s.addRoute(0, [4, 5, 6, 7]);
    const before = s.distance();
    expect(crossExchange(s, buildNeighbours(inst, 20))).toBeGreaterThan(0);
    expect(ids(s, inst)).toEqual([
      ['X', 'w1', 'w2'],
      ['Y1', 'Y2', 'e1', 'e2'],
    ]);
    expect(s.routes.map((r) => r.load)).toEqual([10, 10]);
    expect(s.distance()).toBeLessThan(before - 30);
  });

  it('given a plan where no exchange shortens, when run, then nothing changes', () => {
    const inst = buildInstance(crossed);
    const s = new Solution(inst);
    s.addRoute(0, [1, 5, 6, 3]);
    s.addRoute(0, [4, 2, 7]);
    const before = s.distance();
    expect(crossExchange(s, buildNeighbours(inst, 20))).toBe(0);
    expect(s.distance()).toBe(before);
  });

  it('given planted instances packed exactly full, when run, then every vehicle stays exactly full, every stop is served once and the plan is no longer', () => {
    for (const seed of [1, 2, 3]) {
      const { problem, plan } = generatePlanted({ customers: 60, seed });
      const inst = buildInstance(problem);
      const s = new Solution(inst);
      // The planted routes: shuffled placement makes them long, so there is much to trade.
      for (const r of plan) s.addRoute(0, r.map((i) => i + inst.depotCount));
      const before = s.distance();
      const loads = s.routes.map((r) => r.load);
      const stops = served(s);
      expect(crossExchange(s, buildNeighbours(inst, 20))).toBeGreaterThan(0);
      expect(s.distance()).toBeLessThan(before);
      expect(s.routes.map((r) => r.load)).toEqual(loads.map(() => 1000));
      expect(served(s)).toEqual(stops);
    }
  });

  it('given Solomon-like plans with time windows, when run, then every window and capacity still holds and the plan is no longer', () => {
    for (const kind of ['R', 'C', 'RC'] as const) {
      const inst = buildInstance(generateVrptw({ customers: 60, kind, seed: 3 }));
      const routable = Array.from({ length: inst.stopCount }, (_, i) => i + inst.depotCount);
      const s = i1Construction(inst, routable, { mu: 1, lambda: 1, alpha1: 0.5 });
      const before = s.distance();
      const stops = served(s);
      crossExchange(s, buildNeighbours(inst, 20));
      expectFeasible(s);
      expect(served(s)).toEqual(stops);
      expect(s.distance()).toBeLessThanOrEqual(before + 1e-9);
    }
  });
});
