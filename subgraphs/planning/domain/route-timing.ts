import { distanceKm, driveMinutes, roundKm, type Point } from './travel.ts';

export interface TimedStop extends Point {
  serviceTimeMin: number;
  /** Minutes after midnight; arriving earlier means waiting until then. */
  readyMin: number | null;
}

export interface RouteTiming {
  /** When service starts at each stop, in minutes after midnight. */
  arrivals: number[];
  distanceKm: number;
  durationMin: number;
}

/**
 * Drives a route in the given order: from the depot at `departMin`, waiting for each window to
 * open, back to the depot. Used to re-time a route after a stop leaves it, with the same rules
 * the optimizer applies, so removing a stop never makes a later stop later.
 */
export function timeRoute(depot: Point, departMin: number, stops: readonly TimedStop[]): RouteTiming {
  let at: Point = depot;
  let clock = departMin;
  let km = 0;
  const arrivals: number[] = [];
  for (const stop of stops) {
    const leg = distanceKm(at, stop);
    km += leg;
    clock = Math.max(clock + driveMinutes(leg), stop.readyMin ?? -Infinity);
    arrivals.push(clock);
    clock += stop.serviceTimeMin;
    at = stop;
  }
  if (stops.length) {
    const back = distanceKm(at, depot);
    km += back;
    clock += driveMinutes(back);
  }
  return { arrivals, distanceKm: roundKm(km), durationMin: Math.round((clock - departMin) * 10) / 10 };
}
