import { describe, expect, it } from 'vitest';
import { toOutboxRow } from './outbox.ts';
import { storableJson, storableText } from './storable-json.ts';
import { OrderCreated, ORG } from './testing/test-support.ts';

describe('storable JSON (what jsonb and text columns accept)', () => {
  it('given lone surrogates and NUL, when made storable, then each becomes U+FFFD and JSON.stringify no longer writes a \\ud escape', () => {
    expect(storableText('a\ud800b')).toBe('a\uFFFDb');
    expect(storableText('a\udc00b')).toBe('a\uFFFDb');
    expect(storableText('nul\u0000here')).toBe('nul\uFFFDhere');
    expect(JSON.stringify(storableJson({ v: '\ud800' }))).not.toMatch(/\\ud/);
  });

  it('given a valid pair (an emoji), when made storable, then it is kept', () => {
    expect(storableText('ok 😀 ü')).toBe('ok 😀 ü');
  });

  it('given bad characters in keys and nested arrays, and dates and undefined, then the copy is plain clean JSON', () => {
    const when = new Date('2026-01-01T00:00:00.000Z');
    expect(storableJson({ ['k\u0000']: [{ x: '\udbff' }], when, gone: undefined })).toEqual({
      'k\uFFFD': [{ x: '\uFFFD' }],
      when: '2026-01-01T00:00:00.000Z',
    });
  });

  it('given an envelope whose payload and subject hold a lone surrogate and NUL, when it becomes an outbox row, then the row is clean', () => {
    const envelope = OrderCreated.create({ orderId: 'o\ud800', seq: 1 }, { subject: 'o\u0000', orgId: ORG });
    const row = toOutboxRow('voidtracker.orders', envelope);
    expect(row.key).toBe('o\uFFFD');
    expect(row.envelope.subject).toBe('o\uFFFD');
    expect((row.envelope.data as { orderId: string }).orderId).toBe('o\uFFFD');
  });
});
