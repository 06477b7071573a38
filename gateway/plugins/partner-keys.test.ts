import { describe, expect, it, vi } from 'vitest';
import { newApiKeySecret } from '../../subgraphs/kernel/auth/api-key-secret.ts';
import { createKeyExchange, ExchangeUnavailable } from './partner-keys.ts';

const SECRET = newApiKeySecret();

/** A stand-in for iam's exchange route: answers per secret, counting calls. */
function iam(answers: Record<string, 'ok' | 'refused' | 'down'>, tokenTtlMs = 300_000, now = () => Date.now()) {
  return vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const secret = (init?.headers as Record<string, string>)['x-api-key']!;
    const answer = answers[secret] ?? 'refused';
    if (answer === 'down') throw new TypeError('fetch failed');
    if (answer === 'refused') return new Response('{}', { status: 401 });
    return Response.json({ accessToken: `token-for-${secret.slice(-4)}`, apiKeyId: 'key-1', clientName: 'shop', expiresAt: new Date(now() + tokenTtlMs).toISOString() });
  });
}

describe('the key exchange cache', () => {
  it('given a valid key, then iam is asked once within the cache time and again after it', async () => {
    let t = 1_000_000;
    const fetch = iam({ [SECRET]: 'ok' }, 300_000, () => t);
    const keys = createKeyExchange({ exchangeUrl: 'http://iam/api-keys/exchange', cacheSeconds: 30, fetch, now: () => t });
    expect(await keys.exchange(SECRET)).toMatchObject({ apiKeyId: 'key-1', clientName: 'shop', accessToken: `token-for-${SECRET.slice(-4)}` });
    t += 29_000;
    await keys.exchange(SECRET);
    expect(fetch).toHaveBeenCalledTimes(1);
    t += 2_000;
    await keys.exchange(SECRET);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('given a refused key, then the refusal is remembered too, and with cache 0 nothing is', async () => {
    const fetch = iam({});
    const cached = createKeyExchange({ exchangeUrl: 'http://iam/x', cacheSeconds: 30, fetch });
    expect(await cached.exchange(SECRET)).toBeNull();
    expect(await cached.exchange(SECRET)).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(1);
    const uncached = createKeyExchange({ exchangeUrl: 'http://iam/x', cacheSeconds: 0, fetch });
    await uncached.exchange(SECRET);
    await uncached.exchange(SECRET);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(uncached.size()).toBe(0);
  });

  it('given a token about to expire, then it is not served from the cache', async () => {
    let t = 1_000_000;
    const fetch = iam({ [SECRET]: 'ok' }, 12_000, () => t);
    const keys = createKeyExchange({ exchangeUrl: 'http://iam/x', cacheSeconds: 60, fetch, now: () => t });
    await keys.exchange(SECRET);
    t += 3_000;
    await keys.exchange(SECRET);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('given concurrent requests with one key, then they share one exchange', async () => {
    const fetch = iam({ [SECRET]: 'ok' });
    const keys = createKeyExchange({ exchangeUrl: 'http://iam/x', cacheSeconds: 30, fetch });
    const sessions = await Promise.all(Array.from({ length: 5 }, () => keys.exchange(SECRET)));
    expect(new Set(sessions.map((s) => s?.accessToken)).size).toBe(1);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('given iam down, then the exchange says so (not "refused") and caches nothing', async () => {
    const fetch = iam({ [SECRET]: 'down' });
    const keys = createKeyExchange({ exchangeUrl: 'http://iam/x', cacheSeconds: 30, fetch });
    await expect(keys.exchange(SECRET)).rejects.toBeInstanceOf(ExchangeUnavailable);
    expect(keys.size()).toBe(0);
  });

  it('given more keys than it may hold, then the oldest entry makes room', async () => {
    const keys = createKeyExchange({ exchangeUrl: 'http://iam/x', cacheSeconds: 30, fetch: iam({}), maxEntries: 2 });
    for (let i = 0; i < 5; i++) await keys.exchange(newApiKeySecret());
    expect(keys.size()).toBe(2);
  });
});
