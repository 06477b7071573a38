import { describe, expect, it } from 'vitest';
import { RouteDriverAssigned, RoutePlanned, RouteStarted } from '../../planning/events/contracts.ts';
import { routeAssignmentFor } from './route-assignment.ts';

const org = '01900000-0000-7000-8000-000000000001';
const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const planned = (data: Partial<Parameters<typeof RoutePlanned.create>[0]> = {}) =>
  RoutePlanned.create(
    {
      routeId: id(1),
      vehicleId: id(2),
      date: '2031-01-02',
      distanceKm: 12.5,
      stops: [{ stopId: id(3), orderId: id(10), sequence: 0, plannedArrival: '2031-01-02T09:00:00Z' }],
      ...data,
    },
    { subject: id(1), orgId: org },
  );

describe('which route and driver hold an order', () => {
  it('given a planned route with a driver, then it holds its stops’ orders and names the driver', () => {
    expect(routeAssignmentFor(planned({ driverId: id(7), removedOrderIds: [id(11)] }))).toEqual({ routeId: id(1), holds: [id(10)], driverId: id(7) });
  });

  it('given a route planned before drivers were announced, then it holds its orders with no driver', () => {
    expect(routeAssignmentFor(planned())).toEqual({ routeId: id(1), holds: [id(10)], driverId: null });
  });

  it('given a driver assigned, then the route keeps its orders and names the driver', () => {
    const event = RouteDriverAssigned.create({ routeId: id(1), driverId: id(8), assignedAt: '2031-01-02T07:00:00Z' }, { subject: id(1), orgId: org });
    expect(routeAssignmentFor(event)).toEqual({ routeId: id(1), driverId: id(8) });
  });

  it('given a started route, then nothing changes about who holds the orders', () => {
    const event = RouteStarted.create({ routeId: id(1), orderIds: [id(10)], startedAt: '2031-01-02T08:00:00Z' }, { subject: id(1), orgId: org });
    expect(routeAssignmentFor(event)).toBeNull();
  });
});
