import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { originAllowed } from './cors.ts';
import { clientKey } from './rate-limit.ts';
import { MemoryTokenBuckets } from '../token-buckets.ts';

describe('a token bucket in memory', () => {
  it('given a full bucket, when it is emptied, then it refills at the sustained rate up to the burst', async () => {
    let now = 0;
    const buckets = new MemoryTokenBuckets({ perSecond: 2, burst: 3 }, () => now);
    for (let i = 0; i < 3; i++) expect((await buckets.take('c')).allowed).toBe(true);
    const refused = await buckets.take('c');
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 500 });
    now += 500;
    expect((await buckets.take('c')).allowed).toBe(true);
    expect((await buckets.take('c')).allowed).toBe(false);
    now += 60_000;
    expect(await buckets.take('c')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps clients apart and forgets idle ones when full', async () => {
    let now = 0;
    const buckets = new MemoryTokenBuckets({ perSecond: 1, burst: 1 }, () => now, 2);
    expect((await buckets.take('a')).allowed).toBe(true);
    expect((await buckets.take('b')).allowed).toBe(true);
    expect((await buckets.take('a')).allowed).toBe(false);
    now += 5_000;
    expect((await buckets.take('c')).allowed).toBe(true);
    expect((await buckets.take('a')).allowed).toBe(true);
  });
});

describe('the client a request counts against', () => {
  const req = (headers: Record<string, string>, address = '10.0.0.1') =>
    ({ headers, socket: { remoteAddress: address } }) as unknown as IncomingMessage;
  const token = (payload: unknown) => `Bearer e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
  // Only the token 'good' verifies, as u1's.
  const verify = async (t: string) => (t === 'good' ? { principal: { userId: 'u1', orgId: 'o1', roles: [] }, issuedAtSec: 0 } : { error: 'The access token is invalid.' });

  it('given a token that verifies, then its user', async () => {
    expect(await clientKey(req({ authorization: 'Bearer good' }), { trustedProxies: 0, verify })).toBe('user:u1');
  });

  it('given a token that does not verify, whatever subject it claims, then the address', async () => {
    expect(await clientKey(req({ authorization: token({ sub: 'u1' }) }), { trustedProxies: 0, verify })).toBe('ip:10.0.0.1');
    expect(await clientKey(req({ authorization: 'Bearer garbage' }), { trustedProxies: 0, verify })).toBe('ip:10.0.0.1');
    expect(await clientKey(req({ authorization: 'Bearer good' }), { trustedProxies: 0 })).toBe('ip:10.0.0.1');
  });

  it('given an x-api-key header no exchange verified, then the address (only the partner-keys plugin vouches for keys)', async () => {
    expect(await clientKey(req({ 'x-api-key': 'key-id' }), { trustedProxies: 0, verify })).toBe('ip:10.0.0.1');
  });

  it('counts trusted proxies from the right of X-Forwarded-For, never the leftmost hop', async () => {
    const headers = { 'x-forwarded-for': '1.2.3.4, 10.0.0.9' };
    expect(await clientKey(req(headers), { trustedProxies: 0, verify })).toBe('ip:10.0.0.1');
    expect(await clientKey(req(headers), { trustedProxies: 1, verify })).toBe('ip:10.0.0.9');
  });
});

describe('CORS origin patterns', () => {
  it('match exact origins and any port of a `:*` origin, nothing else', () => {
    const allowed = ['https://app.test', 'http://localhost:*'];
    expect(originAllowed('https://app.test', allowed)).toBe(true);
    expect(originAllowed('http://localhost:3000', allowed)).toBe(true);
    expect(originAllowed('http://localhost', allowed)).toBe(true);
    expect(originAllowed('http://localhost:3000.evil.test', allowed)).toBe(false);
    expect(originAllowed('https://app.test:8443', allowed)).toBe(false);
    expect(originAllowed('null', allowed)).toBe(false);
  });
});
