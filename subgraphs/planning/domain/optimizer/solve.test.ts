import { describe, expect, it } from 'vitest';
import { bruteForce } from './testing/brute-force.ts';
import { checkSolution } from './feasibility.ts';
import { buildInstance } from './instance.ts';
import { generateCvrp, generateVrptw } from './testing/instance-generator.ts';
import { OptimizerInputError, type ProblemInput } from './problem-input.ts';
import { solve, solveInstance } from './solve.ts';
import { tinyInstance } from './testing/test-fixtures.ts';

describe('solve against brute force', () => {
  // Seeds chosen arbitrarily; every instance is solved exactly by enumeration.
  const cases = [
    ...[1, 2, 3, 4, 5, 6].map((seed) => ({ seed, stops: 7, windows: false })),
    ...[11, 12, 13, 14, 15, 16].map((seed) => ({ seed, stops: 7, windows: true })),
    ...[21, 22].map((seed) => ({ seed, stops: 6, windows: true })),
  ];
  it.each(cases)('given tiny instance seed=$seed windows=$windows, when solved, then the optimum is found', ({ seed, stops, windows }) => {
    const problem = tinyInstance(seed, stops, windows);
    const inst = buildInstance(problem);
    const exact = bruteForce(inst);
    expect(exact).not.toBeNull();
    const result = solveInstance(inst, { seed: 1, maxIterations: 1500, timeLimitMs: 20_000 });
    expect(checkSolution(inst, result)).toEqual([]);
    expect(result.unserved).toEqual([]);
    expect(result.totalDistance).toBeCloseTo(exact?.distance ?? NaN, 6);
    expect(result.vehiclesUsed).toBe(exact?.vehicles);
  });
});

describe('solve', () => {
  it('given the same seed and iteration budget, when solved twice, then the results are identical', () => {
    const problem = generateVrptw({ customers: 40, kind: 'RC', seed: 5 });
    const a = solve(problem, { seed: 7, maxIterations: 300, timeLimitMs: 60_000 });
    const b = solve(problem, { seed: 7, maxIterations: 300, timeLimitMs: 60_000 });
    expect(b.routes).toEqual(a.routes);
    expect(b.totalDistance).toBe(a.totalDistance);
    expect(b.stats.iterations).toBe(300);
  });

  it('given an iteration budget, when solving a 200-stop instance, then it stops after exactly that many iterations with a valid plan', () => {
    // An iteration budget, not a time one: the test holds on any machine and any load;
    // bench:optimizer measures real time.
    const problem = generateCvrp({ customers: 200, layout: 'random', seed: 9 });
    const result = solve(problem, { seed: 1, maxIterations: 120, timeLimitMs: 3_600_000 });
    expect(result.stats.iterations).toBe(120);
    expect(result.unserved).toEqual([]);
    expect(checkSolution(buildInstance(problem), result)).toEqual([]);
  });

  it('given a fleet proved too small for every stop, when solved, then it serves as many as fit and chooses them by distance', () => {
    // 8 + 9 cannot share a vehicle of 10: one stop stays out, and the nearer one is the shorter plan.
    const problem: ProblemInput = {
      metric: 'euclidean',
      depots: [{ id: 'D', x: 0, y: 0 }],
      stops: [
        { id: 'far', x: 80, y: 0, demand: 8 },
        { id: 'near', x: 2, y: 1, demand: 9 },
      ],
      vehicles: [{ id: 'v', capacity: 10 }],
    };
    const result = solve(problem, { seed: 1, maxIterations: 500, timeLimitMs: 60_000 });
    expect(result.routes.map((r) => r.stops)).toEqual([['near']]);
    expect(result.unserved.map((u) => [u.stopId, u.reason])).toEqual([['far', 'FLEET_TOO_SMALL']]);
  });

  it('given an injected clock, when the budget is spent, then the search stops and reports the best found', () => {
    let now = 0;
    // Each reading advances a fake millisecond: the budget is a count of checks.
    const clock = (): number => now++;
    const problem = generateCvrp({ customers: 30, layout: 'clustered', seed: 2 });
    const result = solve(problem, { seed: 1, timeLimitMs: 200, clock });
    expect(result.stats.elapsedMs).toBeGreaterThanOrEqual(200);
    expect(result.stats.elapsedMs).toBeLessThan(220);
    expect(result.stats.iterations).toBeLessThan(200);
    expect(checkSolution(buildInstance(problem), result)).toEqual([]);
  });

  it('given a stop heavier than any vehicle and one whose window cannot be reached, when solved, then both are reported with reasons', () => {
    const problem: ProblemInput = {
      metric: 'euclidean',
      depots: [{ id: 'D', x: 0, y: 0 }],
      stops: [
        { id: 'ok', x: 3, y: 4, demand: 1 },
        { id: 'heavy', x: 1, y: 0, demand: 50 },
        { id: 'far', x: 100, y: 0, demand: 1, timeWindow: [0, 10] },
      ],
      vehicles: [{ id: 'v', capacity: 10, shiftEnd: 1000 }],
    };
    const result = solve(problem, { maxIterations: 50 });
    expect(result.routes.map((r) => r.stops)).toEqual([['ok']]);
    expect(result.totalDistance).toBe(10);
    expect(result.unserved.map((u) => [u.stopId, u.reason])).toEqual([
      ['heavy', 'DEMAND_EXCEEDS_CAPACITY'],
      ['far', 'TIME_WINDOW_UNREACHABLE'],
    ]);
  });

  it('given more work than the fleet can carry, when solved, then the leftovers are FLEET_TOO_SMALL and the rest is feasible', () => {
    const problem: ProblemInput = {
      metric: 'euclidean',
      depots: [{ id: 'D', x: 0, y: 0 }],
      stops: [1, 2, 3, 4].map((i) => ({ id: `s${i}`, x: i, y: 0, demand: 6 })),
      vehicles: [{ id: 'v', capacity: 10, count: 2 }],
    };
    const inst = buildInstance(problem);
    const result = solveInstance(inst, { maxIterations: 200 });
    expect(checkSolution(inst, result)).toEqual([]);
    expect(result.vehiclesUsed).toBe(2);
    expect(result.unserved).toHaveLength(2);
    expect(result.unserved.every((u) => u.reason === 'FLEET_TOO_SMALL')).toBe(true);
    // The two nearest stops are the cheap ones to serve.
    expect(result.totalDistance).toBe(2 * 1 + 2 * 2);
  });

  it('given a matrix with decimals, when solved, then route distances are exact sums of the given entries', () => {
    const problem: ProblemInput = {
      metric: 'matrix',
      depots: [{ id: 'D' }],
      stops: [{ id: 'a' }, { id: 'b' }],
      vehicles: [{ id: 'v', capacity: 10 }],
      matrix: {
        distances: [
          [0, 1.25, 2.5],
          [1.25, 0, 0.125],
          [2.5, 0.125, 0],
        ],
      },
    };
    const result = solve(problem, { maxIterations: 20 });
    expect(result.routes).toHaveLength(1);
    expect(result.routes[0]?.distance).toBe(3.875);
    expect(result.totalDistance).toBe(3.875);
  });

  it('given an asymmetric matrix, when solved, then the cheaper direction is chosen', () => {
    const problem: ProblemInput = {
      metric: 'matrix',
      depots: [{ id: 'D' }],
      stops: [{ id: 'a' }, { id: 'b' }],
      vehicles: [{ id: 'v', capacity: 10 }],
      matrix: {
        distances: [
          [0, 1, 9],
          [9, 0, 1],
          [1, 9, 0],
        ],
      },
    };
    const result = solve(problem, { maxIterations: 50 });
    expect(result.routes[0]?.stops).toEqual(['a', 'b']);
    expect(result.totalDistance).toBe(3);
  });

  it('given a duration matrix and a short shift, when solved, then durations (not distances) limit the route', () => {
    const problem: ProblemInput = {
      metric: 'matrix',
      depots: [{ id: 'D' }],
      stops: [{ id: 'a' }, { id: 'b' }],
      vehicles: [{ id: 'v', capacity: 10, count: 2, shiftEnd: 25 }],
      matrix: {
        distances: [
          [0, 1, 1],
          [1, 0, 1],
          [1, 1, 0],
        ],
        durations: [
          [0, 10, 10],
          [10, 0, 10],
          [10, 10, 0],
        ],
      },
    };
    const result = solve(problem, { maxIterations: 50 });
    // Together: 30 time units > 25, so two vehicles are needed despite the longer distance.
    expect(result.vehiclesUsed).toBe(2);
    expect(result.totalDistance).toBe(4);
  });

  it('given lat/lon stops, when solved, then haversine kilometres are used and windows hold with a speed', () => {
    const problem: ProblemInput = {
      metric: 'haversine',
      speed: 0.5, // km per minute
      depots: [{ id: 'hub', lat: 52.37, lon: 4.89 }],
      stops: [
        { id: 'a', lat: 52.09, lon: 5.12, demand: 1, serviceTime: 10, timeWindow: [0, 120] },
        { id: 'b', lat: 51.92, lon: 4.48, demand: 1, serviceTime: 10, timeWindow: [60, 300] },
      ],
      vehicles: [{ id: 'van', capacity: 5, shiftStart: 0, shiftEnd: 480 }],
    };
    const inst = buildInstance(problem);
    const result = solveInstance(inst, { maxIterations: 50 });
    expect(checkSolution(inst, result)).toEqual([]);
    expect(result.unserved).toEqual([]);
    // Amsterdam-Utrecht is about 35 km.
    expect(inst.dist[0 * 3 + 1]).toBeGreaterThan(33);
    expect(inst.dist[0 * 3 + 1]).toBeLessThan(37);
  });

  it('given vehicles with different depots, when solved, then each route starts and ends at its own depot', () => {
    const problem: ProblemInput = {
      metric: 'euclidean',
      depots: [
        { id: 'west', x: 0, y: 0 },
        { id: 'east', x: 100, y: 0 },
      ],
      stops: [
        { id: 'w1', x: 1, y: 1, demand: 1 },
        { id: 'w2', x: 2, y: 0, demand: 1 },
        { id: 'e1', x: 99, y: 1, demand: 1 },
        { id: 'e2', x: 98, y: 0, demand: 1 },
      ],
      vehicles: [
        { id: 'vw', capacity: 10, startDepot: 0 },
        { id: 've', capacity: 10, startDepot: 1 },
      ],
    };
    const inst = buildInstance(problem);
    const result = solveInstance(inst, { maxIterations: 100 });
    expect(checkSolution(inst, result)).toEqual([]);
    const byVehicle = Object.fromEntries(result.routes.map((r) => [r.vehicleId, r.stops.slice().sort()]));
    expect(byVehicle).toEqual({ vw: ['w1', 'w2'], ve: ['e1', 'e2'] });
  });

  it.each([1, 2, 3])('given a mixed fleet with two depots, windows and volumes (seed %i), when solved, then every route is feasible', (seed) => {
    const base = generateVrptw({ customers: 60, kind: 'RC', seed });
    const problem: ProblemInput = {
      ...base,
      depots: [...base.depots, { id: 'north', x: 50, y: 95 }],
      stops: base.stops.map((s, i) => ({ ...s, demand: { weight: s.demand as number, volume: (i % 5) + 1 } })),
      vehicles: [
        { id: 'big', capacity: { weight: 200, volume: 40 }, count: 4, shiftStart: 0, shiftEnd: 230 },
        { id: 'small', capacity: { weight: 80 }, count: 6, startDepot: 1, endDepot: 0, shiftStart: 20, shiftEnd: 200 },
      ],
      maxVehicles: 9,
    };
    const inst = buildInstance(problem);
    const result = solveInstance(inst, { seed, maxIterations: 300, timeLimitMs: 60_000 });
    expect(checkSolution(inst, result)).toEqual([]);
    expect(result.vehiclesUsed).toBeLessThanOrEqual(9);
  });

  it('given invalid input, when solved, then it throws OptimizerInputError with the field at fault', () => {
    const problem = { depots: [{ id: 'D', x: 0, y: 0 }], stops: [{ id: 's', x: 1, y: 1, demand: -1 }], vehicles: [{ id: 'v', capacity: 1 }] };
    expect(() => solve(problem)).toThrow(OptimizerInputError);
    expect(() => solve(problem)).toThrow(/stops\[0\]\.demand/);
  });

  it('given no stops, when solved, then the plan is empty', () => {
    const result = solve({ depots: [{ id: 'D', x: 0, y: 0 }], stops: [], vehicles: [{ id: 'v', capacity: 1 }] }, { maxIterations: 10 });
    expect(result).toMatchObject({ routes: [], totalDistance: 0, vehiclesUsed: 0, unserved: [] });
  });
});
