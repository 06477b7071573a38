import { describe, expect, it } from 'vitest';
import { mutationExecutedEvent } from '../../kernel/audit/mutation-contract.ts';
import { RoutePlanned } from '../../planning/events/contracts.ts';
import { aggregateOf, entryFacts, relatedIds } from './entry-facts.ts';

const ORG = '01900000-0000-7000-8000-000000000001';
const ORDER = '01900000-0000-7000-8000-00000000aaaa';
const ROUTE = '01900000-0000-7000-8000-00000000bbbb';
const USER = '01900000-0000-7000-8000-000000000102';

describe('what an entry records of an event', () => {
  it('given a domain event, then its aggregate and subject are the entity, and ids in the payload are related', () => {
    const event = RoutePlanned.create(
      { routeId: ROUTE, vehicleId: ROUTE.replace('bbbb', 'cccc'), date: '2031-01-02', distanceKm: 3, stops: [{ stopId: ROUTE.replace('bbbb', 'dddd'), orderId: ORDER, sequence: 0, plannedArrival: '2031-01-02T09:00:00Z' }], removedOrderIds: [] },
      { subject: ROUTE, orgId: ORG },
    );
    const facts = entryFacts(event, new Map([[RoutePlanned.type, 'Route']]));
    expect(facts).toMatchObject({ orgId: ORG, eventId: event.id, entityType: 'Route', entityId: ROUTE, actorId: null, operation: null, occurredAt: new Date(event.time) });
    expect(facts.relatedIds).toContain(ORDER);
    expect(facts.relatedIds).not.toContain(ROUTE);
  });

  it('given an event of a type nobody declared, then it is still recorded, its aggregate read from the type', () => {
    const facts = entryFacts(
      { specversion: '1.0', id: 'x1', source: '/voidtracker/analytics', type: 'voidtracker.analytics.kpi_snapshot.taken.v3', subject: 's1', time: '2031-01-02T08:00:00Z', datacontenttype: 'application/json', data: { any: 'thing' }, orgid: ORG },
      new Map(),
    );
    expect(facts).toMatchObject({ entityType: 'KpiSnapshot', entityId: 's1', data: { any: 'thing' } });
    expect(aggregateOf('voidtracker.billing.rate_card.created.v1')).toBe('RateCard');
  });

  it('given a mutation record, then the actor, the operation, its outcome and its entity come from it', () => {
    const record = mutationExecutedEvent('orders').create(
      {
        operationName: 'Cancel',
        field: 'cancelOrder',
        arguments: { id: ORDER, reason: 'late' },
        actor: { userId: USER, orgId: ORG, roles: ['DISPATCHER'] },
        outcome: 'ERROR',
        errorCodes: ['CONFLICT'],
        entity: { type: 'Order', id: ORDER },
        requestId: 'req-1',
        executedAt: '2031-01-02T08:00:00.000Z',
      },
      { subject: 'req-1', orgId: ORG },
    );
    expect(entryFacts(record, new Map())).toMatchObject({
      actorId: USER,
      actorRoles: ['DISPATCHER'],
      entityType: 'Order',
      entityId: ORDER,
      operation: 'cancelOrder',
      outcome: 'CONFLICT',
      requestId: 'req-1',
      relatedIds: [],
    });
  });

  it('collects ids only under id-named keys, nested or in lists, without duplicates', () => {
    expect(relatedIds({ orderIds: [ORDER, ORDER], nested: { customerId: USER }, note: ROUTE }, null)).toEqual([USER, ORDER].sort());
  });
});
