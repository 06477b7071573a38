import { describe, expect, it } from 'vitest';
import { binPackingBound, fleetShortfall } from './fleet-bound.ts';
import { buildInstance } from './instance.ts';
import type { ProblemInput } from './problem-input.ts';
import { solve } from './solve.ts';

const withDemands = (demands: number[], capacity: number, count: number, extra: Partial<ProblemInput> = {}): ProblemInput => ({
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: demands.map((demand, i) => ({ id: `s${i}`, x: i + 1, y: 0, demand })),
  vehicles: [{ id: 'v', capacity, count }],
  ...extra,
});
const all = (p: ProblemInput): number[] => p.stops.map((_, i) => i + 1);

describe('binPackingBound', () => {
  it('given three items just over half a bin, when bounded, then each needs its own bin although the sum fits in two', () => {
    expect(binPackingBound([6, 6, 6], 10)).toBe(3);
  });

  it('given items that pack perfectly, when bounded, then the bound is the volume bound', () => {
    expect(binPackingBound([5, 5, 4, 6, 3, 7], 10)).toBe(3);
  });

  it('given big and small items, when bounded, then small items only count beyond the room the big ones leave', () => {
    // Two items of 7 leave 3 + 3; items of 3 and 3 and 3 need one bin more.
    expect(binPackingBound([7, 7, 3, 3, 3], 10)).toBe(3);
  });
});

describe('fleetShortfall', () => {
  it('given more demand than the fleet carries, when checked, then the proof names both totals', () => {
    const p = withDemands([4, 4, 4], 5, 2);
    expect(fleetShortfall(buildInstance(p), all(p))).toBe("total demand 12 exceeds the 2 vehicles' combined capacity 10");
  });

  it('given parcels that cannot share a vehicle, when checked, then the bin-packing bound proves the fleet too small', () => {
    const p = withDemands([6, 6, 6], 10, 2);
    expect(fleetShortfall(buildInstance(p), all(p))).toMatch(/at least 3 vehicles of capacity 10 \(bin-packing bound\), but only 2/);
  });

  it('given a fleet that can carry everything, when checked, then there is no proof', () => {
    const p = withDemands([5, 5, 4, 6], 10, 2);
    expect(fleetShortfall(buildInstance(p), all(p))).toBeNull();
  });
});

describe('unserved reasons for a small fleet', () => {
  it('given a fleet proved too small, when solved, then the unserved stops say no plan can exist', () => {
    const result = solve(withDemands([6, 6, 6], 10, 2), { maxIterations: 50 });
    expect(result.unserved).toHaveLength(1);
    expect(result.unserved[0]?.reason).toBe('FLEET_TOO_SMALL');
    expect(result.unserved[0]?.message).toMatch(/^no plan within the fleet can serve every stop: .*bin-packing bound/);
  });

  it('given a fleet that no capacity bound rules out but the shift does, when solved, then the message says no plan was found in the budget', () => {
    // Each stop is 10 away and takes the whole shift's spare time: one vehicle serves one stop.
    const p = withDemands([1, 1], 10, 1, {
      stops: [
        { id: 'a', x: 10, y: 0, demand: 1, serviceTime: 5 },
        { id: 'b', x: -10, y: 0, demand: 1, serviceTime: 5 },
      ],
      vehicles: [{ id: 'v', capacity: 10, count: 1, shiftEnd: 30 }],
    });
    const result = solve(p, { maxIterations: 50 });
    expect(result.unserved).toHaveLength(1);
    expect(result.unserved[0]?.message).toBe('servable on its own, but no plan serving it within the fleet limit was found in the time budget');
  });
});
