import type { ProblemInput, StopInput } from './optimizer/problem-input.ts';
import { solve } from './optimizer/solve.ts';
import type { UnservedReason } from './optimizer/unserved.ts';
import { atMinutes, dayStart, MINUTES_PER_DAY, minutesInto } from './clock.ts';
import { roundKm, SERVICE_TIME_MIN, SPEED_KM_PER_MIN, type Point } from './travel.ts';

export interface PlanVehicle {
  id: string;
  capacityKg: number;
  capacityM3: number | null;
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
  /** "YYYY-MM-DD"; windows and shifts are placed on this day (UTC). */
  date: string;
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
export function wantedOn(order: Pick<PoolOrder, 'windowStart' | 'windowEnd'>, date: string): boolean {
  if (!order.windowStart || !order.windowEnd) return true;
  const day = dayStart(date);
  return minutesInto(day, order.windowEnd) > 0 && minutesInto(day, order.windowStart) < MINUTES_PER_DAY;
}

/** The optimizer's problem: deliveries from one depot, weights (and volumes) against capacities. */
export function toProblem(input: Pick<PlanDayInput, 'depot' | 'date' | 'vehicles' | 'orders'>): ProblemInput {
  const day = dayStart(input.date);
  const stops: StopInput[] = input.orders.map((o) => ({
    id: o.orderId,
    lat: o.dropoffLat,
    lon: o.dropoffLon,
    demand: o.volumeM3 === null ? o.weightKg : { weight: o.weightKg, volume: o.volumeM3 },
    serviceTime: SERVICE_TIME_MIN,
    ...(o.windowStart && o.windowEnd
      ? { timeWindow: [Math.max(0, minutesInto(day, o.windowStart)), Math.min(MINUTES_PER_DAY, minutesInto(day, o.windowEnd))] as [number, number] }
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
      shiftStart: v.shiftStartMin,
      shiftEnd: v.shiftEndMin,
    })),
  };
}

/**
 * Plans one day: which vehicle delivers which orders, in which order, and when it arrives. Pure:
 * the optimizer gets its clock from the caller, and nothing here touches a database.
 */
export function planDay(input: PlanDayInput): DayPlan {
  const orders = input.orders.filter((o) => wantedOn(o, input.date));
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
  const day = dayStart(input.date);
  const shiftOf = new Map(input.vehicles.map((v) => [v.id, v.shiftStartMin]));
  const routes = result.routes
    .filter((r) => r.stops.length > 0)
    .map((r): RouteDraft => {
      const departMin = shiftOf.get(r.vehicleId)!;
      return {
        vehicleId: r.vehicleId,
        distanceKm: roundKm(r.distance),
        durationMin: Math.round((r.returnTime - departMin) * 10) / 10,
        startsAt: atMinutes(day, departMin),
        stops: r.stopIndices.map((index, sequence) => {
          const o = orders[index]!;
          return {
            orderId: o.orderId,
            sequence,
            lat: o.dropoffLat,
            lon: o.dropoffLon,
            weightKg: o.weightKg,
            plannedArrival: atMinutes(day, r.serviceStarts[sequence]!),
            serviceTimeMin: SERVICE_TIME_MIN,
            windowStart: o.windowStart,
            windowEnd: o.windowEnd,
          };
        }),
      };
    });
  return { routes, unserved: result.unserved.map((u) => ({ orderId: u.stopId, reason: u.reason, message: u.message })) };
}
