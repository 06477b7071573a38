import { describe, expect, it } from 'vitest';
import { buildInstance } from '../../subgraphs/planning/domain/optimizer/instance.ts';
import { OptimizerInputError } from '../../subgraphs/planning/domain/optimizer/problem-input.ts';
import { expandWeights, parseTsplib } from './tsplib-parser.ts';

const EUC = `NAME : toy-n4-k2
COMMENT : hand made
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 1 1
4 2 0
DEMAND_SECTION
1 0
2 4
3 5
4 6
DEPOT_SECTION
1
-1
EOF
`;

const explicit = (format: string, weights: string): string => `NAME: mat
TYPE: CVRP
DIMENSION: 3
EDGE_WEIGHT_TYPE: EXPLICIT
EDGE_WEIGHT_FORMAT: ${format}
CAPACITY: 5
EDGE_WEIGHT_SECTION
${weights}
DEMAND_SECTION
1 0
2 1
3 1
DEPOT_SECTION
1
-1
EOF
`;

const parseError = (text: string): string => {
  try {
    parseTsplib(text);
  } catch (e) {
    if (e instanceof OptimizerInputError) return e.message;
    throw e;
  }
  throw new Error('expected a parse error');
};

describe('parseTsplib', () => {
  it('given an EUC_2D instance, when parsed, then distances are nint-rounded Euclidean', () => {
    const inst = buildInstance(parseTsplib(EUC));
    const d = (i: number, j: number): number => inst.dist[i * inst.nodeCount + j] as number;
    expect(d(0, 1)).toBe(5); // 3-4-5 triangle
    expect(d(0, 2)).toBe(1); // sqrt(2) = 1.414 -> 1
    expect(d(1, 3)).toBe(4); // sqrt(17) = 4.123 -> 4
    expect(d(2, 3)).toBe(1); // sqrt(2) -> 1
    expect(d(1, 2)).toBe(4); // sqrt(13) = 3.606 -> 4
    expect(d(0, 3)).toBe(2);
  });

  it('given a -kN suffix, when parsed, then N is the vehicle limit and capacity and demands are kept', () => {
    const p = parseTsplib(EUC);
    expect(p.name).toBe('toy-n4-k2');
    expect(p.vehicles).toEqual([{ id: 'vehicle', capacity: 10, count: 2 }]);
    expect(p.stops.map((s) => [s.id, s.demand])).toEqual([
      ['2', 4],
      ['3', 5],
      ['4', 6],
    ]);
  });

  it('given a VEHICLES field, when parsed, then it wins over the name suffix', () => {
    const p = parseTsplib(EUC.replace('CAPACITY : 10', 'CAPACITY : 10\nVEHICLES : 3'));
    expect(p.vehicles[0]?.count).toBe(3);
  });

  it('given no vehicle count at all, when parsed, then the fleet cannot bind (one vehicle per customer)', () => {
    const p = parseTsplib(EUC.replace('toy-n4-k2', 'toy'));
    expect(p.vehicles[0]?.count).toBe(3);
  });

  it('given a depot that is not node 1, when parsed, then it becomes the depot and customers keep file order', () => {
    const text = EUC.replace('DEPOT_SECTION\n1\n', 'DEPOT_SECTION\n3\n').replace('3 5\n', '3 0\n').replace('1 0\n2 4', '1 7\n2 4');
    const p = parseTsplib(text);
    expect(p.depots[0]).toEqual({ id: '3', x: 1, y: 1 });
    expect(p.stops.map((s) => s.id)).toEqual(['1', '2', '4']);
    expect(p.stops[0]?.demand).toBe(7);
  });

  it.each([
    ['FULL_MATRIX', '0 1 2\n1 0 3\n2 3 0'],
    ['UPPER_ROW', '1 2\n3'],
    ['LOWER_ROW', '1\n2 3'],
    ['UPPER_DIAG_ROW', '0 1 2\n0 3\n0'],
    ['LOWER_DIAG_ROW', '0\n1 0\n2 3 0'],
    ['UPPER_COL', '1\n2 3'],
    ['LOWER_COL', '1 2\n3'],
  ])('given EXPLICIT %s weights, when parsed, then the full symmetric matrix is rebuilt', (format, weights) => {
    const p = parseTsplib(explicit(format, weights));
    expect(p.metric).toBe('matrix');
    expect(p.matrix?.distances).toEqual([
      [0, 1, 2],
      [1, 0, 3],
      [2, 3, 0],
    ]);
  });

  it('given an asymmetric FULL_MATRIX, when parsed, then direction is preserved', () => {
    const p = parseTsplib(explicit('FULL_MATRIX', '0 1 2\n4 0 3\n5 6 0'));
    expect(p.matrix?.distances).toEqual([
      [0, 1, 2],
      [4, 0, 3],
      [5, 6, 0],
    ]);
  });

  it('given weights wrapped over arbitrary lines, when parsed, then they are read as one stream', () => {
    const p = parseTsplib(explicit('LOWER_DIAG_ROW', '0 1\n0 2 3 0'));
    expect(p.matrix?.distances?.[2]).toEqual([2, 3, 0]);
  });

  it('given decimal explicit weights, when built, then they are used exactly', () => {
    const inst = buildInstance(parseTsplib(explicit('UPPER_ROW', '1.25 2.5\n0.125')));
    expect(Array.from(inst.dist)).toEqual([0, 1.25, 2.5, 1.25, 0, 0.125, 2.5, 0.125, 0]);
  });

  it('given DISTANCE and SERVICE_TIME, when parsed, then they become the shift length and service times', () => {
    const p = parseTsplib(EUC.replace('CAPACITY : 10', 'CAPACITY : 10\nDISTANCE : 50\nSERVICE_TIME : 2'));
    expect(p.vehicles[0]?.shiftEnd).toBe(50);
    expect(p.stops[0]?.serviceTime).toBe(2);
  });

  it('expands a lower-diagonal list the same way as the upper-row list of the same matrix', () => {
    expect(expandWeights('LOWER_DIAG_ROW', [0, 5, 0, 6, 7, 0], 3)).toEqual(expandWeights('UPPER_ROW', [5, 6, 7], 3));
  });

  it('given a negative demand, when parsed, then the error names the line', () => {
    expect(parseError(EUC.replace('3 5\n', '3 -5\n'))).toMatch(/line 15: negative demand -5/);
  });

  it('given a negative distance, when parsed, then the error says so', () => {
    expect(parseError(explicit('UPPER_ROW', '1 -2\n3'))).toMatch(/negative distance -2/);
  });

  it('given too few weights, when parsed, then the error reports how many were found', () => {
    expect(parseError(explicit('FULL_MATRIX', '0 1 2\n1 0 3'))).toMatch(/ended after 6 of 9 weights/);
  });

  it('given garbage in a section, when parsed, then the line and token are reported', () => {
    expect(parseError(EUC.replace('2 3 4', '2 three 4'))).toMatch(/line 9: expected a number, got "three"/);
  });

  it('given an unsupported edge weight type or missing capacity, when parsed, then a clear error is raised', () => {
    expect(parseError(EUC.replace('EUC_2D', 'GEO'))).toMatch(/unsupported EDGE_WEIGHT_TYPE "GEO"/);
    expect(parseError(EUC.replace('CAPACITY : 10\n', ''))).toMatch(/CAPACITY/);
  });

  it('given a line that is neither keyword nor section, when parsed, then it is rejected', () => {
    expect(parseError(`NAME : x\nthis is not tsplib\n`)).toMatch(/line 2: cannot read/);
  });
});
