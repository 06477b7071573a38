import { describe, expect, it } from 'vitest';
import { buildInstance } from './instance.ts';
import { OptimizerInputError, type ProblemInput } from './problem-input.ts';
import { validateProblem } from './validate.ts';

const valid = (): ProblemInput => ({
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'a', x: 1, y: 0, demand: 2 },
    { id: 'b', x: 0, y: 1, demand: { weight: 1, volume: 0.5 }, timeWindow: [0, 10], serviceTime: 1 },
  ],
  vehicles: [{ id: 'v', capacity: 5 }],
});

const fields = (input: unknown): string[] => validateProblem(input).map((e) => e.field);

describe('validateProblem', () => {
  it('given a well-formed problem, when validated, then there are no errors', () => {
    expect(validateProblem(valid())).toEqual([]);
  });

  it('given a negative demand, when validated, then the error names the stop field with a stable code', () => {
    const p = valid();
    (p.stops[0] as { demand: number }).demand = -3;
    expect(validateProblem(p)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'stops[0].demand', message: expect.stringContaining('negative') },
    ]);
  });

  it('given a negative volume inside a load object, when validated, then the nested field is reported', () => {
    const p = valid();
    (p.stops[1] as { demand: unknown }).demand = { weight: 1, volume: -1 };
    expect(fields(p)).toEqual(['stops[1].demand.volume']);
  });

  it('given a window that ends before it starts, when validated, then timeWindow is reported', () => {
    const p = valid();
    (p.stops[1] as { timeWindow: [number, number] }).timeWindow = [10, 5];
    expect(validateProblem(p)[0]).toMatchObject({ field: 'stops[1].timeWindow', message: expect.stringContaining('before') });
  });

  it('given a vehicle pointing at a depot that does not exist, when validated, then the depot index is reported', () => {
    const p = valid();
    (p.vehicles[0] as { endDepot: number }).endDepot = 3;
    expect(validateProblem(p)[0]).toMatchObject({ field: 'vehicles[0].endDepot', message: expect.stringContaining('unknown depot index 3') });
  });

  it('given a non-square matrix, when validated, then the short row is reported', () => {
    const p: ProblemInput = {
      ...valid(),
      metric: 'matrix',
      matrix: { distances: [[0, 1, 2], [1, 0], [2, 1, 0]] },
    };
    expect(fields(p)).toEqual(['matrix.distances[1]']);
  });

  it('given a negative distance in the matrix, when validated, then the entry is reported', () => {
    const p: ProblemInput = { ...valid(), metric: 'matrix', matrix: { distances: [[0, 1, 2], [1, 0, -4], [2, 1, 0]] } };
    expect(validateProblem(p)[0]).toMatchObject({ field: 'matrix.distances[1][2]', message: expect.stringContaining('negative') });
  });

  it('given a matrix of the wrong size, when validated, then the row count is reported', () => {
    const p: ProblemInput = { ...valid(), metric: 'matrix', matrix: { distances: [[0, 1], [1, 0]] } };
    expect(validateProblem(p)[0]).toMatchObject({ field: 'matrix.distances', message: expect.stringContaining('3 rows') });
  });

  it('given duplicate ids and missing coordinates, when validated, then all problems are returned together', () => {
    const p = valid();
    (p.stops[1] as { id: string }).id = 'a';
    delete (p.stops[0] as { x?: number }).x;
    expect(fields(p).sort()).toEqual(['stops[0].x', 'stops[1].id']);
  });

  it('given haversine coordinates out of range, when validated, then lat is reported', () => {
    const p: ProblemInput = {
      metric: 'haversine',
      depots: [{ id: 'D', lat: 52, lon: 4 }],
      stops: [{ id: 's', lat: 95, lon: 4 }],
      vehicles: [{ id: 'v', capacity: 1 }],
    };
    expect(fields(p)).toEqual(['stops[0].lat']);
  });

  it('given something that is not an object, when validated, then the root is reported', () => {
    expect(fields(42)).toEqual(['$']);
    expect(fields({ depots: [], stops: [], vehicles: [] }).sort()).toEqual(['depots', 'vehicles']);
  });

  it('given invalid input, when building an instance, then OptimizerInputError carries the errors', () => {
    const p = valid();
    (p.vehicles[0] as { capacity: number }).capacity = -1;
    try {
      buildInstance(p);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OptimizerInputError);
      expect((e as OptimizerInputError).errors[0]?.field).toBe('vehicles[0].capacity');
    }
  });
});
