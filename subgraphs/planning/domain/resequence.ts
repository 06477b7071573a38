import { solve } from './optimizer/solve.ts';
import { timeRoute, type RouteTiming, type TimedStop } from './route-timing.ts';
import { SPEED_KM_PER_MIN, type Point } from './travel.ts';

export interface SequencedStop extends TimedStop {
  id: string;
  /** Frame minutes when the delivery window closes; null: no window. */
  dueMin: number | null;
  weightKg: number;
}

export interface Resequenced {
  /** The stops' ids in their new visiting order. */
  order: string[];
  timing: RouteTiming;
}

/** A window as the optimizer takes it: an open end stays open, a start before the day is the day's start. */
function windowOf(s: SequencedStop): [number, number] {
  const ready = Math.max(0, s.readyMin ?? 0);
  return [ready, Math.max(ready, s.dueMin ?? Number.MAX_SAFE_INTEGER)];
}

/** A small, fixed search: deterministic, and a few milliseconds for a day's route. */
const RESEQUENCE_ITERATIONS = 300;

/**
 * The best visiting order of one vehicle's remaining stops after one of them left the route: the
 * optimizer re-sequences them for that vehicle alone (same depot, shift, windows), and its order
 * is taken only when it serves every stop on a shorter drive than the current order closed up, so
 * a route never gets worse (closing up a feasible route keeps it feasible). Pure and deterministic:
 * a frozen clock and a fixed iteration count.
 */
export function resequenceRoute(input: {
  depot: Point;
  departMin: number;
  shiftEndMin: number;
  capacityKg: number;
  stops: readonly SequencedStop[];
}): Resequenced {
  const current = timeRoute(input.depot, input.departMin, input.stops);
  const keep = { order: input.stops.map((s) => s.id), timing: current };
  if (input.stops.length < 2) return keep;
  const result = solve(
    {
      metric: 'haversine',
      speed: SPEED_KM_PER_MIN,
      depots: [{ id: '#depot', lat: input.depot.lat, lon: input.depot.lon }],
      stops: input.stops.map((s) => ({
        id: s.id,
        lat: s.lat,
        lon: s.lon,
        demand: s.weightKg,
        serviceTime: s.serviceTimeMin,
        ...(s.readyMin !== null || s.dueMin !== null ? { timeWindow: windowOf(s) } : {}),
      })),
      // The route already carries these stops, so its capacity is at least their total.
      vehicles: [{ id: 'vehicle', capacity: Math.max(input.capacityKg, input.stops.reduce((sum, s) => sum + s.weightKg, 0)), shiftStart: input.departMin, shiftEnd: Math.max(input.shiftEndMin, current.durationMin + input.departMin) }],
      maxVehicles: 1,
    },
    { seed: 1, clock: () => 0, maxIterations: RESEQUENCE_ITERATIONS },
  );
  const route = result.routes[0];
  if (result.unserved.length > 0 || !route) return keep;
  const byId = new Map(input.stops.map((s) => [s.id, s]));
  const stops = route.stops.map((id) => byId.get(id)!);
  const timing = timeRoute(input.depot, input.departMin, stops);
  return timing.distanceKm < current.distanceKm ? { order: route.stops, timing } : keep;
}
