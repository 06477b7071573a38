import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret, secretBytes, sign, verify, webhookHeaders } from './signing.ts';

describe('webhook signing (Standard Webhooks)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('given a secret, id, timestamp and body, signs HMAC-SHA256 over "id.timestamp.body" with the base64-decoded key', () => {
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const expected = createHmac('sha256', key).update('msg_1.1700000000.{"a":1}').digest('base64');
    expect(sign(secret, 'msg_1', 1700000000, '{"a":1}')).toBe(`v1,${expected}`);
  });

  it('matches the specification’s published example', () => {
    // The example of the Standard Webhooks specification (secret, id, timestamp, body → signature).
    const body = '{"test": 2432232314}';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('generates a whsec_ secret of 32 random bytes, different each time', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretBytes(a.secret)).toHaveLength(32);
    expect(a.secret).toBe(`whsec_${a.key}`);
    expect(a.key).not.toBe(b.key);
  });

  it('gives each attempt headers with its own timestamp that a receiver verifies', () => {
    const at = new Date('2026-12-05T12:00:00Z');
    const h = webhookHeaders(secret, 'd-1', '{}', at);
    expect(h['webhook-id']).toBe('d-1');
    expect(h['webhook-timestamp']).toBe(String(at.getTime() / 1000));
    expect(verify(secret, { id: 'd-1', timestamp: h['webhook-timestamp']!, signature: h['webhook-signature']! }, '{}', at)).toBe(true);
  });

  it('refuses a changed body, a changed id, another secret, a stale timestamp, and accepts one good signature among several', () => {
    const at = new Date('2026-12-05T12:00:00Z');
    const h = webhookHeaders(secret, 'd-1', '{"x":1}', at);
    const given = { id: 'd-1', timestamp: h['webhook-timestamp']!, signature: h['webhook-signature']! };
    expect(verify(secret, given, '{"x":2}', at)).toBe(false);
    expect(verify(secret, { ...given, id: 'd-2' }, '{"x":1}', at)).toBe(false);
    expect(verify(generateSecret().secret, given, '{"x":1}', at)).toBe(false);
    expect(verify(secret, given, '{"x":1}', new Date(at.getTime() + 301_000))).toBe(false);
    expect(verify(secret, { ...given, signature: `v1,AAAA ${given.signature}` }, '{"x":1}', at)).toBe(true);
    expect(verify(secret, { ...given, signature: given.signature.replace('v1,', 'v2,') }, '{"x":1}', at)).toBe(false);
  });
});
