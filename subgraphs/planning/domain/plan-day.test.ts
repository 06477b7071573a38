import { describe, expect, it } from 'vitest';
import { planDay, toProblem, wantedOn, type PlanVehicle, type PoolOrder } from './plan-day.ts';
import { timeRoute } from './route-timing.ts';
import { SERVICE_TIME_MIN } from './travel.ts';
import { dayFrame, frameMinutes } from './time-zone.ts';

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
const frozen = { timeLimitMs: 1000, clock: () => 0, maxIterations: 200, timeZone: 'UTC' };

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
    const frame = dayFrame(date, 'UTC');
    route.stops.forEach((s, i) => expect(frameMinutes(frame, s.plannedArrival)).toBeCloseTo(timing.arrivals[i]!, 0));
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
    expect(wantedOn(tomorrow, dayFrame(date, 'UTC'))).toBe(false);
    expect(wantedOn(tomorrow, dayFrame('2031-01-03', 'UTC'))).toBe(true);
    expect(wantedOn(order('any'), dayFrame(date, 'UTC'))).toBe(true);
    expect(planDay({ depot, date, vehicles: [van()], orders: [tomorrow], ...frozen })).toEqual({ routes: [], unserved: [] });
  });

  it('given volumes, then they count against the vehicle volume, and a window is clamped to the day', () => {
    const problem = toProblem({
      depot,
      date,
      timeZone: 'UTC',
      vehicles: [van({ capacityM3: 2 })],
      orders: [order('a', { volumeM3: 0.5, windowStart: new Date('2031-01-01T22:00:00Z'), windowEnd: new Date('2031-01-02T10:00:00Z') })],
    });
    expect(problem.vehicles[0]!.capacity).toEqual({ weight: 100, volume: 2 });
    expect(problem.stops[0]).toMatchObject({ demand: { weight: 10, volume: 0.5 }, timeWindow: [0, 600] });
    expect(problem.metric).toBe('haversine');
  });

  describe('in the depot time zone', () => {
    const berlin = { ...frozen, timeZone: 'Europe/Berlin' };

    it('given a Berlin depot in winter, then an 08:00 shift leaves at 07:00 UTC and arrivals are instants after it', () => {
      const plan = planDay({ depot, date, vehicles: [van()], orders: [order('a')], ...berlin });
      const route = plan.routes[0]!;
      expect(route.startsAt.toISOString()).toBe('2031-01-02T07:00:00.000Z');
      const drive = timeRoute(depot, 0, [{ lat: 52.3989, lon: 13.0657, serviceTimeMin: 5, readyMin: null }]).arrivals[0]!;
      expect((route.stops[0]!.plannedArrival.getTime() - route.startsAt.getTime()) / 60_000).toBeCloseTo(drive, 0);
    });

    it('given a Berlin depot in summer, then the same shift leaves at 06:00 UTC', () => {
      const plan = planDay({ depot, date: '2031-07-01', vehicles: [van()], orders: [order('a')], ...berlin });
      expect(plan.routes[0]!.startsAt.toISOString()).toBe('2031-07-01T06:00:00.000Z');
    });

    it('given the spring-forward day, then the day is 23 hours and a late shift still ends at local midnight', () => {
      const problem = toProblem({ depot, date: '2031-03-30', timeZone: 'Europe/Berlin', vehicles: [van({ shiftStartMin: 60, shiftEndMin: 24 * 60 })], orders: [order('a')] });
      // 01:00 is one hour into the day, 24:00 is 23 real hours after local midnight.
      expect(problem.vehicles[0]).toMatchObject({ shiftStart: 60, shiftEnd: 23 * 60 });
    });

    it('given a window in UTC, then it is placed on the local day: 09:00-10:00 UTC is 10:00-11:00 in Berlin', () => {
      const w = order('w', { windowStart: new Date('2031-01-02T09:00:00Z'), windowEnd: new Date('2031-01-02T10:00:00Z') });
      const problem = toProblem({ depot, date, timeZone: 'Europe/Berlin', vehicles: [van()], orders: [w] });
      expect(problem.stops[0]!.timeWindow).toEqual([600, 660]);
      // Late evening UTC on the 2nd is already the 3rd in Tokyo.
      const evening = order('e', { windowStart: new Date('2031-01-02T20:00:00Z'), windowEnd: new Date('2031-01-02T21:00:00Z') });
      expect(wantedOn(evening, dayFrame('2031-01-02', 'Asia/Tokyo'))).toBe(false);
      expect(wantedOn(evening, dayFrame('2031-01-03', 'Asia/Tokyo'))).toBe(true);
    });
  });
});
