import { describe, expect, it } from 'vitest';
import { resequenceRoute, type SequencedStop } from './resequence.ts';
import { timeRoute } from './route-timing.ts';

const depot = { lat: 52.52, lon: 13.4 }; // Berlin
const stop = (id: string, lat: number, lon: number, over: Partial<SequencedStop> = {}): SequencedStop => ({ id, lat, lon, serviceTimeMin: 5, readyMin: null, dueMin: null, weightKg: 1, ...over });
// East, west, east again: after the middle one is gone, visiting them in this order zigzags.
const east1 = stop('e1', 52.52, 13.7);
const west = stop('w', 52.52, 13.1);
const east2 = stop('e2', 52.52, 13.75);

describe('re-sequencing a route after a stop left it', () => {
  it('given a zigzag order, then the stops are re-ordered into a shorter drive and re-timed', () => {
    const input = { depot, departMin: 480, shiftEndMin: 1080, capacityKg: 100, stops: [east1, west, east2] };
    const before = timeRoute(depot, 480, input.stops);
    const next = resequenceRoute(input);
    expect(next.order).not.toEqual(['e1', 'w', 'e2']);
    expect(next.timing.distanceKm).toBeLessThan(before.distanceKm);
    // e1 and e2 are next to each other now.
    expect(Math.abs(next.order.indexOf('e1') - next.order.indexOf('e2'))).toBe(1);
    const ordered = next.order.map((id) => input.stops.find((s) => s.id === id)!);
    expect(next.timing).toEqual(timeRoute(depot, 480, ordered));
  });

  it('given windows that force the zigzag, then the order stays as it is', () => {
    const input = {
      depot,
      departMin: 480,
      shiftEndMin: 1080,
      capacityKg: 100,
      stops: [{ ...east1, readyMin: 480, dueMin: 560 }, { ...west, readyMin: 600, dueMin: 640 }, { ...east2, readyMin: 700, dueMin: 760 }],
    };
    expect(resequenceRoute(input).order).toEqual(['e1', 'w', 'e2']);
  });

  it('given one stop, then it stays and is timed from the departure', () => {
    const next = resequenceRoute({ depot, departMin: 480, shiftEndMin: 1080, capacityKg: 100, stops: [west] });
    expect(next).toEqual({ order: ['w'], timing: timeRoute(depot, 480, [west]) });
  });
});
