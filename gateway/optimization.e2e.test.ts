import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from './testing/harness.ts';

const OPTIMIZE = `query($problem: JSON!, $timeLimitSeconds: Float, $seed: Int) {
  optimizeRoutes(problem: $problem, timeLimitSeconds: $timeLimitSeconds, seed: $seed) {
    routes { vehicleId stops distance load } totalDistance vehiclesUsed unserved { stopId reason message }
  }
}`;

// Points on a line at 0 (the depot) and 1.1, 2.2, 3.3 (stops c, a, b, in matrix order): the best tour
// goes out along the line and back, 6.6.
const at = [0, 1.1, 2.2, 3.3];
const matrix = at.map((a) => at.map((b) => Number(Math.abs(a - b).toFixed(1))));
const lineProblem = (overrides: Record<string, unknown> = {}) => ({
  depots: [{ id: 'hub' }],
  stops: [
    { id: 'c', demand: 1 },
    { id: 'a', demand: 1 },
    { id: 'b', demand: 1 },
  ],
  vehicles: [{ id: 'van', capacity: 10, count: 2 }],
  matrix: { distances: matrix },
  ...overrides,
});

describe('ad hoc optimization through the gateway', () => {
  let g: TestGraph;
  let dispatcher: string;
  beforeAll(async () => {
    g = await startTestGraph('pglite');
    dispatcher = await g.login('dispatcher@demo.test');
  });
  afterAll(() => g?.close());

  it('given a matrix with decimal distances, then the best route uses them exactly as given', async () => {
    const res = await g.gql(OPTIMIZE, { problem: lineProblem(), timeLimitSeconds: 0.2, seed: 7 }, dispatcher);
    expect(res.errors).toBeUndefined();
    const result = res.data!.optimizeRoutes;
    expect(result.totalDistance).toBe(6.6);
    expect(result.vehiclesUsed).toBe(1);
    expect(result.unserved).toEqual([]);
    const stops = result.routes[0].stops as string[];
    expect(['c,a,b', 'b,a,c']).toContain(stops.join(','));
  });

  it('given a stop heavier than any vehicle, then it is reported unserved with its reason', async () => {
    const problem = lineProblem({ stops: [{ id: 'a', demand: 1 }, { id: 'huge', demand: 50 }] , matrix: { distances: matrix.slice(0, 3).map((r) => r.slice(0, 3)) } });
    const result = (await g.gql(OPTIMIZE, { problem, timeLimitSeconds: 0.2 }, dispatcher)).data!.optimizeRoutes;
    expect(result.unserved).toEqual([{ stopId: 'huge', reason: 'DEMAND_EXCEEDS_CAPACITY', message: expect.any(String) }]);
  });

  it.each([
    ['a matrix that is not square', lineProblem({ matrix: { distances: [[0, 1], [1, 0]] } }), /problem\.matrix/],
    ['a negative distance', lineProblem({ matrix: { distances: matrix.map((r, i) => r.map((d, j) => (i === 1 && j === 2 ? -1 : d))) } }), /problem\.matrix/],
    ['a window that closes before it opens', lineProblem({ stops: [{ id: 'a', demand: 1, timeWindow: [10, 5] }], matrix: { distances: matrix.slice(0, 2).map((r) => r.slice(0, 2)) } }), /problem\.stops/],
    ['a vehicle with zero capacity', lineProblem({ vehicles: [{ id: 'van', capacity: 0 }] }), /problem\.vehicles/],
  ])('given %s, then BAD_USER_INPUT names the culprit', async (_what, problem, field) => {
    const res = await g.gql(OPTIMIZE, { problem, timeLimitSeconds: 0.1 }, dispatcher);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toMatch(field);
  });

  it('refuses budgets beyond its bound, and callers who do not plan', async () => {
    const long = await g.gql(OPTIMIZE, { problem: lineProblem(), timeLimitSeconds: 60 }, dispatcher);
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeLimitSeconds' });
    const customer = await g.login('customer@demo.test');
    expect((await g.gql(OPTIMIZE, { problem: lineProblem() }, customer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
