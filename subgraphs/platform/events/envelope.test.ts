import { describe, expect, it } from 'vitest';
import { EnvelopeError, fromWireMessage, toWireMessage, validateEnvelope, type EventEnvelope } from './envelope.ts';

const envelope: EventEnvelope = {
  specversion: '1.0',
  id: '0190a0b0-1111-7000-8000-000000000001',
  source: '/voidtracker/orders',
  type: 'voidtracker.orders.order.created.v1',
  subject: 'order-42',
  time: '2025-05-01T10:00:00.000Z',
  datacontenttype: 'application/json',
  data: { orderId: 'order-42', parcels: [{ weightKg: '1.5' }], note: 'Ünïcödé ✓' },
  orgid: 'org-1',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

describe('envelope in Kafka binary content mode', () => {
  it('given an envelope, when encoded and decoded, then it comes back equal', () => {
    const wire = toWireMessage(envelope);
    expect(fromWireMessage(wire)).toEqual(envelope);
  });

  it('given an envelope, when encoded, then attributes are ce_ headers, data is the JSON value and the key is the subject', () => {
    const wire = toWireMessage(envelope);
    expect(wire.key).toBe('order-42');
    expect(JSON.parse(wire.value)).toEqual(envelope.data);
    expect(wire.headers).toEqual({
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: envelope.id,
      ce_source: '/voidtracker/orders',
      ce_type: 'voidtracker.orders.order.created.v1',
      ce_subject: 'order-42',
      ce_time: envelope.time,
      ce_orgid: 'org-1',
      ce_traceparent: envelope.traceparent,
    });
  });

  it('given Kafka-style Buffer headers and value, when decoded, then they are read as UTF-8', () => {
    const wire = toWireMessage(envelope);
    const headers = Object.fromEntries(Object.entries(wire.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromWireMessage({ value: Buffer.from(wire.value), headers })).toEqual(envelope);
  });

  it('given no traceparent, when round-tripped, then none appears', () => {
    const { traceparent: _t, ...plain } = envelope;
    const wire = toWireMessage(plain);
    expect(wire.headers).not.toHaveProperty('ce_traceparent');
    expect(fromWireMessage(wire)).toEqual(plain);
  });

  it.each([
    ['a missing ce_id', (h: Record<string, string>) => delete h.ce_id, /id/],
    ['a missing ce_orgid', (h: Record<string, string>) => delete h.ce_orgid, /orgid/],
    ['a wrong spec version', (h: Record<string, string>) => (h.ce_specversion = '0.3'), /specversion/],
    ['an unversioned type', (h: Record<string, string>) => (h.ce_type = 'voidtracker.orders.order.created'), /type/],
    ['a time without offset', (h: Record<string, string>) => (h.ce_time = '2025-05-01 10:00'), /time/],
    ['no content-type', (h: Record<string, string>) => delete h['content-type'], /content-type/],
    ['a non-JSON content-type', (h: Record<string, string>) => (h['content-type'] = 'text/plain'), /content-type/],
    ['a bad traceparent', (h: Record<string, string>) => (h.ce_traceparent = 'nope'), /traceparent/],
  ])('given %s, when decoded, then it is rejected with a clear EnvelopeError', (_what, damage, mentions) => {
    const wire = toWireMessage(envelope);
    damage(wire.headers);
    expect(() => fromWireMessage(wire)).toThrow(EnvelopeError);
    expect(() => fromWireMessage(wire)).toThrow(mentions);
  });

  it('given a value that is not JSON, when decoded, then it is rejected', () => {
    const wire = { ...toWireMessage(envelope), value: '{"orderId":' };
    expect(() => fromWireMessage(wire)).toThrow(/value is not JSON/);
  });

  it('given a null value, when decoded, then it is rejected', () => {
    expect(() => fromWireMessage({ value: null, headers: toWireMessage(envelope).headers })).toThrow(/no value/);
  });

  it('given a structured envelope without data, when validated, then it is rejected', () => {
    const { data: _d, ...rest } = envelope;
    expect(() => validateEnvelope(rest)).toThrow(/data/);
  });
});
