import type { ProblemInput, StopInput } from './optimizer/problem-input.ts';
import { solve } from './optimizer/solve.ts';
import type { UnservedReason } from './optimizer/unserved.ts';
import { dayFrame, frameInstant, frameMinutes, wallToFrame, type DayFrame } from './time-zone.ts';
import { roundKm, SERVICE_TIME_MIN, SPEED_KM_PER_MIN, type Point } from './travel.ts';

export interface PlanVehicle {
  id: string;
  capacityKg: number;
  capacityM3: number | null;
  /** Wall-clock minutes after local midnight at the depot. */
  shiftStartMin: number;
  shiftEndMin: number;
}

export interface PoolOrder {
  orderId: string;
  dropoffLat: number;
  dropoffLon: number;
  weightKg: number;
  volumeM3: number | null;
  windowStart: Date | null;
  windowEnd: Date | null;
}

export interface StopDraft {
  orderId: string;
  sequence: number;
  lat: number;
  lon: number;
  weightKg: number;
  plannedArrival: Date;
  serviceTimeMin: number;
  windowStart: Date | null;
  windowEnd: Date | null;
}

export interface RouteDraft {
  vehicleId: string;
  distanceKm: number;
  durationMin: number;
  startsAt: Date;
  stops: StopDraft[];
}

export interface UnservedOrder {
  orderId: string;
  reason: UnservedReason;
  message: string;
}

export interface DayPlan {
  routes: RouteDraft[];
  unserved: UnservedOrder[];
}

export interface PlanDayInput {
  depot: Point;
  /** "YYYY-MM-DD", the depot's local calendar day; windows and shifts are placed on it. */
  date: string;
  /** The depot's IANA time zone. */
  timeZone: string;
  vehicles: readonly PlanVehicle[];
  orders: readonly PoolOrder[];
  timeLimitMs: number;
  /** Milliseconds clock for the optimizer's budget; injected so tests are deterministic. */
  clock?: () => number;
  maxIterations?: number;
}

/**
 * Whether an order belongs on this day: no window (any day will do), or a window that overlaps it.
 * Orders wanted on another day stay in the pool for that day's plan.
 */
export function wantedOn(order: Pick<PoolOrder, 'windowStart' | 'windowEnd'>, frame: DayFrame): boolean {
  if (!order.windowStart || !order.windowEnd) return true;
  return frameMinutes(frame, order.windowEnd) > 0 && frameMinutes(frame, order.windowStart) < frame.lengthMin;
}

/**
 * The optimizer's problem: deliveries from one depot, weights (and volumes) against capacities.
 * Times are minutes of the depot's day frame (minute 0 = local midnight).
 */
export function toProblem(input: Pick<PlanDayInput, 'depot' | 'date' | 'timeZone' | 'vehicles' | 'orders'>): ProblemInput {
  const frame = dayFrame(input.date, input.timeZone);
  const stops: StopInput[] = input.orders.map((o) => ({
    id: o.orderId,
    lat: o.dropoffLat,
    lon: o.dropoffLon,
    demand: o.volumeM3 === null ? o.weightKg : { weight: o.weightKg, volume: o.volumeM3 },
    serviceTime: SERVICE_TIME_MIN,
    ...(o.windowStart && o.windowEnd
      ? { timeWindow: [Math.max(0, frameMinutes(frame, o.windowStart)), Math.min(frame.lengthMin, frameMinutes(frame, o.windowEnd))] as [number, number] }
      : {}),
  }));
  return {
    name: input.date,
    metric: 'haversine',
    speed: SPEED_KM_PER_MIN,
    depots: [{ id: 'depot', lat: input.depot.lat, lon: input.depot.lon }],
    stops,
    vehicles: input.vehicles.map((v) => ({
      id: v.id,
      capacity: v.capacityM3 === null ? v.capacityKg : { weight: v.capacityKg, volume: v.capacityM3 },
      shiftStart: wallToFrame(frame, v.shiftStartMin),
      shiftEnd: wallToFrame(frame, v.shiftEndMin),
    })),
  };
}

/**
 * Plans one day: which vehicle delivers which orders, in which order, and when it arrives. Pure:
 * the optimizer gets its clock from the caller, and nothing here touches a database.
 */
export function planDay(input: PlanDayInput): DayPlan {
  const frame = dayFrame(input.date, input.timeZone);
  const orders = input.orders.filter((o) => wantedOn(o, frame));
  if (!orders.length) return { routes: [], unserved: [] };
  if (!input.vehicles.length) {
    const message = `no vehicle of this depot is free on ${input.date}`;
    return { routes: [], unserved: orders.map((o) => ({ orderId: o.orderId, reason: 'FLEET_TOO_SMALL', message })) };
  }
  const result = solve(toProblem({ ...input, orders }), {
    seed: 1,
    timeLimitMs: input.timeLimitMs,
    ...(input.clock ? { clock: input.clock } : {}),
    ...(input.maxIterations !== undefined ? { maxIterations: input.maxIterations } : {}),
  });
  const shiftOf = new Map(input.vehicles.map((v) => [v.id, wallToFrame(frame, v.shiftStartMin)]));
  const routes = result.routes
    .filter((r) => r.stops.length > 0)
    .map((r): RouteDraft => {
      const departMin = shiftOf.get(r.vehicleId)!;
      return {
        vehicleId: r.vehicleId,
        distanceKm: roundKm(r.distance),
        durationMin: Math.round((r.returnTime - departMin) * 10) / 10,
        startsAt: frameInstant(frame, departMin),
        stops: r.stopIndices.map((index, sequence) => {
          const o = orders[index]!;
          return {
            orderId: o.orderId,
            sequence,
            lat: o.dropoffLat,
            lon: o.dropoffLon,
            weightKg: o.weightKg,
            plannedArrival: frameInstant(frame, r.serviceStarts[sequence]!),
            serviceTimeMin: SERVICE_TIME_MIN,
            windowStart: o.windowStart,
            windowEnd: o.windowEnd,
          };
        }),
      };
    });
  return { routes, unserved: result.unserved.map((u) => ({ orderId: u.stopId, reason: u.reason, message: u.message })) };
}
