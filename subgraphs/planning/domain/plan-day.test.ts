import { describe, expect, it } from 'vitest';
import { minutesInto } from './clock.ts';
import { planDay, toProblem, wantedOn, type PlanVehicle, type PoolOrder } from './plan-day.ts';
import { timeRoute } from './route-timing.ts';
import { SERVICE_TIME_MIN } from './travel.ts';

const depot = { lat: 52.5306, lon: 13.3847 }; // Berlin
const van = (over: Partial<PlanVehicle> = {}): PlanVehicle => ({ id: 'van', capacityKg: 100, capacityM3: null, shiftStartMin: 8 * 60, shiftEndMin: 18 * 60, ...over });
const order = (orderId: string, over: Partial<PoolOrder> = {}): PoolOrder => ({
  orderId,
  dropoffLat: 52.3989,
  dropoffLon: 13.0657, // Potsdam
  weightKg: 10,
  volumeM3: null,
  windowStart: null,
  windowEnd: null,
  ...over,
});
const date = '2031-01-02';
// A frozen clock plus an iteration cap make the optimizer deterministic and instant here.
const frozen = { timeLimitMs: 1000, clock: () => 0, maxIterations: 200 };

describe('planning a day', () => {
  it('given orders that fit one van, when planned, then one route serves them all, leaving at shift start', () => {
    const plan = planDay({ depot, date, vehicles: [van()], orders: [order('a'), order('b', { dropoffLat: 52.4125, dropoffLon: 12.5316 })], ...frozen });
    expect(plan.unserved).toEqual([]);
    expect(plan.routes).toHaveLength(1);
    const [route] = plan.routes;
    expect(route!.vehicleId).toBe('van');
    expect(route!.stops.map((s) => s.orderId).sort()).toEqual(['a', 'b']);
    expect(route!.stops.map((s) => s.sequence)).toEqual([0, 1]);
    expect(route!.startsAt.toISOString()).toBe('2031-01-02T08:00:00.000Z');
    expect(route!.distanceKm).toBeGreaterThan(100);
    expect(route!.stops.every((s) => s.serviceTimeMin === SERVICE_TIME_MIN)).toBe(true);
  });

  it('given a route, then its planned arrivals are what driving it in order gives', () => {
    const plan = planDay({ depot, date, vehicles: [van()], orders: [order('a'), order('b', { dropoffLat: 52.4125, dropoffLon: 12.5316 })], ...frozen });
    const route = plan.routes[0]!;
    const timing = timeRoute(depot, 8 * 60, route.stops.map((s) => ({ lat: s.lat, lon: s.lon, serviceTimeMin: s.serviceTimeMin, readyMin: null })));
    const day = new Date('2031-01-02T00:00:00Z');
    route.stops.forEach((s, i) => expect(minutesInto(day, s.plannedArrival)).toBeCloseTo(timing.arrivals[i]!, 0));
    expect(timing.distanceKm).toBeCloseTo(route.distanceKm, 2);
  });

  it('given an order heavier than every vehicle, then it is unserved with DEMAND_EXCEEDS_CAPACITY', () => {
    const plan = planDay({ depot, date, vehicles: [van({ capacityKg: 5 })], orders: [order('heavy', { weightKg: 50 })], ...frozen });
    expect(plan.routes).toEqual([]);
    expect(plan.unserved).toEqual([expect.objectContaining({ orderId: 'heavy', reason: 'DEMAND_EXCEEDS_CAPACITY' })]);
  });

  it('given a window that closes before the shift starts, then it is unserved with TIME_WINDOW_UNREACHABLE', () => {
    const early = order('early', { windowStart: new Date('2031-01-02T05:00:00Z'), windowEnd: new Date('2031-01-02T06:00:00Z') });
    const plan = planDay({ depot, date, vehicles: [van()], orders: [early], ...frozen });
    expect(plan.unserved).toEqual([expect.objectContaining({ orderId: 'early', reason: 'TIME_WINDOW_UNREACHABLE' })]);
  });

  it('given a window, then the planned arrival waits for it to open', () => {
    const late = order('late', { windowStart: new Date('2031-01-02T14:00:00Z'), windowEnd: new Date('2031-01-02T15:00:00Z') });
    const plan = planDay({ depot, date, vehicles: [van()], orders: [late], ...frozen });
    expect(plan.routes[0]!.stops[0]!.plannedArrival.toISOString()).toBe('2031-01-02T14:00:00.000Z');
  });

  it('given more weight than one van carries, then two vans share it', () => {
    const plan = planDay({ depot, date, vehicles: [van({ id: 'v1' }), van({ id: 'v2' })], orders: [order('a', { weightKg: 70 }), order('b', { weightKg: 70 })], ...frozen });
    expect(plan.unserved).toEqual([]);
    expect(plan.routes.map((r) => r.vehicleId).sort()).toEqual(['v1', 'v2']);
  });

  it('given no free vehicle, then every order of the day is unserved with FLEET_TOO_SMALL', () => {
    const plan = planDay({ depot, date, vehicles: [], orders: [order('a')], ...frozen });
    expect(plan).toEqual({ routes: [], unserved: [expect.objectContaining({ orderId: 'a', reason: 'FLEET_TOO_SMALL' })] });
  });

  it('given an order wanted on another day, then this day leaves it alone', () => {
    const tomorrow = order('t', { windowStart: new Date('2031-01-03T09:00:00Z'), windowEnd: new Date('2031-01-03T10:00:00Z') });
    expect(wantedOn(tomorrow, date)).toBe(false);
    expect(wantedOn(tomorrow, '2031-01-03')).toBe(true);
    expect(wantedOn(order('any'), date)).toBe(true);
    expect(planDay({ depot, date, vehicles: [van()], orders: [tomorrow], ...frozen })).toEqual({ routes: [], unserved: [] });
  });

  it('given volumes, then they count against the vehicle volume, and a window is clamped to the day', () => {
    const problem = toProblem({
      depot,
      date,
      vehicles: [van({ capacityM3: 2 })],
      orders: [order('a', { volumeM3: 0.5, windowStart: new Date('2031-01-01T22:00:00Z'), windowEnd: new Date('2031-01-02T10:00:00Z') })],
    });
    expect(problem.vehicles[0]!.capacity).toEqual({ weight: 100, volume: 2 });
    expect(problem.stops[0]).toMatchObject({ demand: { weight: 10, volume: 0.5 }, timeWindow: [0, 600] });
    expect(problem.metric).toBe('haversine');
  });
});
