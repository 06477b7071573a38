import { describe, expect, it } from 'vitest';
import { mutationExecutedEvent } from '../../kernel/audit/mutation-contract.ts';
import { setCurrentActor, withActorScope } from '../../platform/events/actor.ts';
import { fromWireMessage, toWireMessage } from '../../platform/events/envelope.ts';
import { RoutePlanned, RouteStarted } from '../../planning/events/contracts.ts';
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

  it('given a domain event raised in a dispatcher\'s request, then the entry names that dispatcher and role', () => {
    const event = withActorScope(() => {
      setCurrentActor({ userId: USER, roles: ['DISPATCHER'] });
      return RouteStarted.create({ routeId: ROUTE, orderIds: [ORDER], startedAt: '2031-01-02T08:00:00Z' }, { subject: ROUTE, orgId: ORG });
    });
    expect(event).toMatchObject({ actorid: USER, actorroles: 'DISPATCHER' });
    const facts = entryFacts(fromWireMessage(toWireMessage(event)), new Map([[RouteStarted.type, 'Route']]));
    expect(facts).toMatchObject({ actorId: USER, actorRoles: ['DISPATCHER'], relatedIds: [ORDER] });
  });

  it('given a domain event raised outside any request (a consumer), then it has no actor', () => {
    const event = RouteStarted.create({ routeId: ROUTE, orderIds: [ORDER], startedAt: '2031-01-02T08:00:00Z' }, { subject: ROUTE, orgId: ORG });
    expect(event.actorid).toBeUndefined();
    expect(entryFacts(event, new Map()).actorId).toBeNull();
  });

  it('given a payload with a NUL and a lone surrogate, then the entry keeps it as U+FFFD (jsonb would refuse it)', () => {
    const facts = entryFacts({ specversion: '1.0', id: 'x2', source: '/voidtracker/orders', type: 'voidtracker.orders.order.noted.v1', subject: 's', time: '2031-01-02T08:00:00Z', datacontenttype: 'application/json', data: { note: 'a\u0000b\ud800' }, orgid: ORG }, new Map());
    expect(facts.data).toEqual({ note: 'a\uFFFDb\uFFFD' });
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
