import { describe, expect, it } from 'vitest';
import { bruteForce } from './brute-force.ts';
import { buildInstance } from '../instance.ts';
import type { ProblemInput } from '../problem-input.ts';

// A square around the depot: corners at (±1, ±1), each sqrt(2) from the depot.
const square = (capacity: number, count: number): ProblemInput => ({
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: [
    { id: 'ne', x: 1, y: 1, demand: 1 },
    { id: 'nw', x: -1, y: 1, demand: 1 },
    { id: 'sw', x: -1, y: -1, demand: 1 },
    { id: 'se', x: 1, y: -1, demand: 1 },
  ],
  vehicles: [{ id: 'v', capacity, count }],
});

describe('bruteForce', () => {
  it('given one vehicle that can take everything, when solved, then the tour goes around the square', () => {
    const exact = bruteForce(buildInstance(square(4, 1)));
    expect(exact?.vehicles).toBe(1);
    expect(exact?.distance).toBeCloseTo(2 * Math.SQRT2 + 3 * 2, 9);
  });

  it('given capacity two, when solved, then two routes each cover one side of the square', () => {
    const exact = bruteForce(buildInstance(square(2, 4)));
    expect(exact?.vehicles).toBe(2);
    expect(exact?.distance).toBeCloseTo(2 * (2 * Math.SQRT2 + 2), 9);
  });

  it('given capacity one and too few vehicles, when solved, then there is no solution', () => {
    expect(bruteForce(buildInstance(square(1, 3)))).toBeNull();
  });

  it('given windows that force an order, when solved, then the optimum respects them', () => {
    const p = square(4, 1);
    // nw opens only after every other stop has closed, so it must come last.
    for (const s of p.stops) s.timeWindow = [0, 50];
    (p.stops[1] as { timeWindow: [number, number] }).timeWindow = [100, 200];
    const exact = bruteForce(buildInstance(p));
    const inst = buildInstance(p);
    expect(exact?.routes[0]?.[3]).toBe(inst.depotCount + 1);
    // Still the shortest such tour: ne/sw/se in the order that ends next to nw.
    expect(exact?.distance).toBeCloseTo(2 * Math.SQRT2 + 3 * 2, 9);
  });
});
