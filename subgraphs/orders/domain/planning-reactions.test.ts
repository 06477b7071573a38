import { describe, expect, it } from 'vitest';
import { RoutePlanned, StopFailed } from '../../planning/events/contracts.ts';
import { statusCommandsFor } from './planning-reactions.ts';

const org = '01900000-0000-7000-8000-000000000001';
const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('how orders react to planning', () => {
  it('given a planned route, then its orders become PLANNED and orders taken off it go back to CREATED', () => {
    const event = RoutePlanned.create(
      {
        routeId: id(1),
        vehicleId: id(2),
        date: '2031-01-02',
        distanceKm: 12.5,
        stops: [{ stopId: id(3), orderId: id(10), sequence: 0, plannedArrival: '2031-01-02T09:00:00Z' }],
        removedOrderIds: [id(11)],
      },
      { subject: id(1), orgId: org },
    );
    expect(statusCommandsFor(event)).toEqual([
      { orderId: id(10), to: 'PLANNED', reason: `planned on route ${id(1)}` },
      { orderId: id(11), to: 'CREATED', reason: `taken off route ${id(1)}` },
    ]);
  });

  it('given a failed stop, then the order becomes FAILED with the driver’s reason', () => {
    const event = StopFailed.create(
      { routeId: id(1), stopId: id(3), orderId: id(10), failedAt: '2031-01-02T09:00:00Z', reason: 'nobody home' },
      { subject: id(1), orgId: org },
    );
    expect(statusCommandsFor(event)).toEqual([{ orderId: id(10), to: 'FAILED', reason: 'nobody home' }]);
  });
});
