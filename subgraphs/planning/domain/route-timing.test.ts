import { describe, expect, it } from 'vitest';
import { timeRoute } from './route-timing.ts';
import { AVERAGE_SPEED_KMH, distanceKm } from './travel.ts';

const depot = { lat: 52.5306, lon: 13.3847 };
const potsdam = { lat: 52.3989, lon: 13.0657, serviceTimeMin: 5, readyMin: null };
const brandenburg = { lat: 52.4125, lon: 12.5316, serviceTimeMin: 5, readyMin: null };

describe('timing a route', () => {
  it('given stops in order, then arrivals follow the drive at the average speed plus service times', () => {
    const timing = timeRoute(depot, 480, [potsdam, brandenburg]);
    const leg1 = distanceKm(depot, potsdam);
    expect(timing.arrivals[0]).toBeCloseTo(480 + (leg1 / AVERAGE_SPEED_KMH) * 60, 6);
    expect(timing.arrivals[1]).toBeCloseTo(timing.arrivals[0]! + 5 + (distanceKm(potsdam, brandenburg) / AVERAGE_SPEED_KMH) * 60, 6);
    const total = leg1 + distanceKm(potsdam, brandenburg) + distanceKm(brandenburg, depot);
    expect(timing.distanceKm).toBeCloseTo(total, 3);
  });

  it('given a window not yet open on arrival, then the driver waits for it', () => {
    const timing = timeRoute(depot, 480, [{ ...potsdam, readyMin: 720 }]);
    expect(timing.arrivals).toEqual([720]);
  });

  it('given a stop taken off, then no later stop is later and the route is no longer', () => {
    const full = timeRoute(depot, 480, [potsdam, brandenburg]);
    const shorter = timeRoute(depot, 480, [brandenburg]);
    expect(shorter.arrivals[0]).toBeLessThan(full.arrivals[1]!);
    expect(shorter.distanceKm).toBeLessThanOrEqual(full.distanceKm);
  });

  it('given no stops, then the route goes nowhere', () => {
    expect(timeRoute(depot, 480, [])).toEqual({ arrivals: [], distanceKm: 0, durationMin: 0 });
  });
});
