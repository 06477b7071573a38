import { describe, expect, it } from 'vitest';
import { buildInstance } from '../../subgraphs/planning/domain/optimizer/instance.ts';
import { OptimizerInputError } from '../../subgraphs/planning/domain/optimizer/problem-input.ts';
import { parseSolomon } from './solomon-parser.ts';

const TEXT = `TOY1

VEHICLE
NUMBER     CAPACITY
  3         50

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      40         50          0          0       230          0
    1      41         52         10         10        60         10
    2      43         51         20         40       100         10
    3      40         40          5          0       200          5
`;

const errorOf = (text: string): string => {
  try {
    parseSolomon(text);
  } catch (e) {
    if (e instanceof OptimizerInputError) return e.message;
    throw e;
  }
  throw new Error('expected a parse error');
};

describe('parseSolomon', () => {
  it('given a Solomon file, when parsed, then header, depot and customers are mapped', () => {
    const p = parseSolomon(TEXT);
    expect(p.name).toBe('TOY1');
    expect(p.vehicles).toEqual([{ id: 'vehicle', capacity: 50, count: 3, shiftStart: 0, shiftEnd: 230 }]);
    expect(p.depots).toEqual([{ id: '0', x: 40, y: 50 }]);
    expect(p.stops[1]).toEqual({ id: '2', x: 43, y: 51, demand: 20, serviceTime: 10, timeWindow: [40, 100] });
  });

  it('given the DIMACS convention, when built, then distances are truncated to one decimal and time equals distance', () => {
    const inst = buildInstance(parseSolomon(TEXT));
    const d = (i: number, j: number): number => inst.dist[i * inst.nodeCount + j] as number;
    expect(d(0, 1)).toBe(2.2); // sqrt(5) = 2.236
    expect(d(0, 2)).toBe(3.1); // sqrt(10) = 3.162
    expect(d(0, 3)).toBe(10);
    expect(d(1, 2)).toBe(2.2); // sqrt(5)
    expect(inst.time).toBe(inst.dist);
  });

  it('given a row with a negative demand, when parsed, then the line is reported', () => {
    expect(errorOf(TEXT.replace('41         52         10', '41         52        -10'))).toMatch(/line 11: negative demand -10/);
  });

  it('given a due date before the ready time, when parsed, then the line is reported', () => {
    expect(errorOf(TEXT.replace('10        60', '70        60'))).toMatch(/line 11: due date 60 before ready time 70/);
  });

  it('given a short customer row, when parsed, then the missing numbers are reported', () => {
    expect(errorOf(TEXT.replace('40         40          5          0       200          5', '40 40 5'))).toMatch(/line 13: .*needs 7 numbers/);
  });

  it('given a file without the VEHICLE block, when parsed, then it is rejected as not Solomon', () => {
    expect(errorOf('just some text\n1 2 3\n')).toMatch(/missing VEHICLE block/);
  });
});
