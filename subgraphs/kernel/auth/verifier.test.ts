import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { bearerToken, createTokenVerifier } from './verifier.ts';

const { privateKey, publicKey } = await generateKeyPair('ES256');
const sign = (claims: Record<string, unknown>, exp: number | string = '5m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('u1')
    .setIssuer('iss')
    .setAudience('aud')
    .setExpirationTime(exp)
    .sign(privateKey);

describe('token verification', () => {
  it('given a valid token, then the principal comes back, and a second check is answered from cache', async () => {
    const keys = vi.fn(async () => publicKey);
    const verify = createTokenVerifier({ issuer: 'iss', audience: 'aud', keys });
    const token = await sign({ org: 'o1', roles: ['DISPATCHER', 'NOT_A_ROLE'] });
    const expected = { principal: { userId: 'u1', orgId: 'o1', roles: ['DISPATCHER'] }, issuedAtSec: 0 };
    expect(await verify(token)).toEqual(expected);
    expect(await verify(token)).toEqual(expected);
    expect(keys).toHaveBeenCalledTimes(1);
  });

  it('given a cached token past its expiry, then it is expired, not served from cache', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const verify = createTokenVerifier({ issuer: 'iss', audience: 'aud', keys: async () => publicKey });
      const token = await sign({ org: 'o1', roles: [] }, Math.floor(Date.now() / 1000) + 60);
      expect(await verify(token)).toHaveProperty('principal');
      vi.setSystemTime(Date.now() + 61_000);
      expect(await verify(token)).toEqual({ error: 'The access token has expired.' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('given the wrong audience or no organization, then it is refused', async () => {
    const verify = createTokenVerifier({ issuer: 'iss', audience: 'other', keys: async () => publicKey });
    expect(await verify(await sign({ org: 'o1' }))).toEqual({ error: 'The access token is invalid.' });
    const strict = createTokenVerifier({ issuer: 'iss', audience: 'aud', keys: async () => publicKey });
    expect(await strict(await sign({}))).toHaveProperty('error');
  });

  it('reads only Bearer authorization headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer x')).toBe('x');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
