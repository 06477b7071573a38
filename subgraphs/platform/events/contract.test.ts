import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, eventCatalog, eventParser, EventValidationError, payloadFields } from './contract.ts';
import { fromWireMessage, toWireMessage } from './envelope.ts';
import { OrderCancelled, OrderCreated, ORG } from './testing/test-support.ts';

describe('event contracts', () => {
  it('given valid data, when created, then the envelope carries type, source, subject, org and a fresh id', () => {
    const e = OrderCreated.create({ orderId: 'o-1', seq: 1 }, { subject: 'o-1', orgId: ORG, time: new Date('2025-01-02T03:04:05Z') });
    expect(e).toMatchObject({
      specversion: '1.0',
      type: 'voidtracker.orders.order.created.v1',
      source: '/voidtracker/orders',
      subject: 'o-1',
      orgid: ORG,
      time: '2025-01-02T03:04:05.000Z',
      datacontenttype: 'application/json',
      data: { orderId: 'o-1', seq: 1 },
    });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(OrderCreated.create({ orderId: 'o-1', seq: 1 }, { subject: 'o-1', orgId: ORG }).id).not.toBe(e.id);
    expect(OrderCreated.topic).toBe('voidtracker.orders');
  });

  it('given invalid data, when created (publishing side), then it throws with the field path', () => {
    const bad = { orderId: 'o-1', seq: 'one' } as unknown as { orderId: string; seq: number };
    expect(() => OrderCreated.create(bad, { subject: 'o-1', orgId: ORG })).toThrow(EventValidationError);
    expect(() => OrderCreated.create(bad, { subject: 'o-1', orgId: ORG })).toThrow(/seq/);
  });

  it('given an envelope whose payload breaks the schema, when parsed (consuming side), then it throws', () => {
    const e = OrderCreated.create({ orderId: 'o-1', seq: 1 }, { subject: 'o-1', orgId: ORG });
    const tampered = fromWireMessage({ ...toWireMessage(e), value: JSON.stringify({ orderId: 7 }) });
    expect(() => OrderCreated.parse(tampered)).toThrow(/orderId/);
    expect(() => OrderCreated.parse(tampered)).toThrow(/consume/);
  });

  it('given an envelope of another type, when parsed, then it throws', () => {
    const e = OrderCancelled.create({ orderId: 'o-1', reason: null }, { subject: 'o-1', orgId: ORG });
    expect(() => OrderCreated.parse(e)).toThrow(/Expected an event of type voidtracker.orders.order.created.v1/);
  });

  it('given a wire round trip, when parsed, then the typed data comes back', () => {
    const e = OrderCreated.create({ orderId: 'o-1', seq: 3, reference: 'PO-9' }, { subject: 'o-1', orgId: ORG });
    const parsed = OrderCreated.parse(fromWireMessage(toWireMessage(e)));
    expect(parsed.data.reference).toBe('PO-9');
    expect(parsed).toEqual(e);
  });

  it('given a parser over several contracts, when fed envelopes, then it returns the discriminated union or undefined', () => {
    const parse = eventParser([OrderCreated, OrderCancelled]);
    const cancelled = parse(OrderCancelled.create({ orderId: 'o-2', reason: 'late' }, { subject: 'o-2', orgId: ORG }));
    if (cancelled?.type !== 'voidtracker.orders.order.cancelled.v1') throw new Error('wrong type');
    expect(cancelled.data.reason).toBe('late');
    const other = { ...cancelled, type: 'voidtracker.orders.order.archived.v1' };
    expect(parse(other)).toBeUndefined();
  });

  it('given a malformed type or a foreign producer, when defined, then definition fails', () => {
    const schema = z.object({});
    expect(() => defineEvent({ type: 'OrderCreated', producer: 'orders', aggregate: 'Order', schema, description: '' })).toThrow();
    expect(() =>
      defineEvent({ type: 'voidtracker.billing.order.created.v1', producer: 'orders', aggregate: 'Order', schema, description: '' }),
    ).toThrow(/producer/);
  });
});

describe('event catalog', () => {
  it('given contracts and consumers, when rendered, then each type is a row with producer, consumers and payload fields', () => {
    const table = eventCatalog(
      [OrderCreated, OrderCancelled],
      [
        { consumer: 'planning', events: [OrderCreated, 'voidtracker.orders.order.cancelled.v1'] },
        { consumer: 'billing', events: [OrderCancelled] },
      ],
    );
    const lines = table.trim().split('\n');
    expect(lines[0]).toBe('| type | producer | consumers | payload | description |');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      '| `voidtracker.orders.order.cancelled.v1` | orders | billing, planning | `orderId: string`, `reason: string \\| null` | The order was cancelled before delivery. |',
    );
    expect(lines[3]).toContain('| `voidtracker.orders.order.created.v1` | orders | planning |');
    expect(lines[3]).toContain('`orderId: string`, `seq: integer`, `reference?: string`');
  });

  it('given nested and enum fields, when described, then types are readable', () => {
    const fields = payloadFields(
      z.object({ status: z.enum(['CREATED', 'PLANNED']), parcels: z.array(z.object({ w: z.number() })), at: z.iso.datetime() }),
    );
    expect(fields).toEqual(['status: "CREATED" \\| "PLANNED"', 'parcels: object[]', 'at: string (date-time)']);
  });
});
