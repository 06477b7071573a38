import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './server.ts';
import { availableRedis, clearRedisPrefix, send, startEdgeGateway, testKeyPrefix } from './testing/edge.ts';
import { startTestIssuer } from './testing/issuer.ts';

// Tokens signed by a key of the suite's own, published as the JWKS the gateway verifies against.
const issuer = await startTestIssuer();
afterAll(() => issuer.close());

// Refill so slow (one token per 100 s) that no test can see a refill: counts are exact.
const BUCKET = { GATEWAY_RATE_LIMIT_PER_SECOND: '0.01', GATEWAY_RATE_LIMIT_BURST: '3', JWKS_URL: issuer.jwksUrl };
const QUERY = { query: '{ __typename }' };

const call = (gw: RunningGateway, headers: Record<string, string> = {}) => send(gw.graphqlUrl, { body: QUERY, headers });
/** A signed-in client (the gateway keys users by verified token subject; partner keys are in partners.e2e; forgeries in security/edge.e2e). */
const as = async (sub: string) => ({ authorization: `Bearer ${await issuer.sign(sub)}` });

/** Sends `n` requests (a bounded number) and returns their statuses. */
async function statuses(gw: RunningGateway, n: number, headers: Record<string, string> = {}) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(gw, headers)).status);
  return out;
}

describe('rate limiting in memory', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway(BUCKET);
  });
  afterAll(() => gw?.close());

  it('lets a burst through, then answers 429 RATE_LIMITED with Retry-After', async () => {
    const headers = await as('burst-client');
    expect(await statuses(gw, 3, headers)).toEqual([200, 200, 200]);
    const res = await call(gw, headers);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('refuses an x-api-key that is no API key before it is counted (partner keys: gateway/partners.e2e.test.ts)', async () => {
    expect(await statuses(gw, 4, { 'x-api-key': 'key-a' })).toEqual([401, 401, 401, 401]);
  });

  it('keys signed-in users by the verified token subject, whatever the session', async () => {
    // Two different tokens of one user share a bucket.
    const first = await issuer.sign('user-1');
    expect(await statuses(gw, 2, { authorization: `Bearer ${first}` })).toEqual([200, 200]);
    const other = await issuer.sign('user-1', { jti: 'another-session' });
    expect(other).not.toBe(first);
    expect(await statuses(gw, 2, { authorization: `Bearer ${other}` })).toEqual([200, 429]);
    expect(await statuses(gw, 1, { authorization: `Bearer ${await issuer.sign('user-2')}` })).toEqual([200]);
  });

  it('keys anonymous clients by address, apart from keys and users', async () => {
    expect(await statuses(gw, 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses(gw, 1, await as('user-c'))).toEqual([200]);
  });

  it('counts rejections in the metrics', async () => {
    const metrics = (await send(`${gw.url}/metrics`)).body as string;
    expect(metrics).toMatch(/^graphql_rate_limited_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^graphql_errors_total\{code="RATE_LIMITED"\} [1-9]\d*$/m);
  });
});

const redisUrl = await availableRedis();

describe.skipIf(!redisUrl)('rate limiting shared through Redis', () => {
  const prefix = testKeyPrefix();
  let a: RunningGateway;
  let b: RunningGateway;
  beforeAll(async () => {
    const env = { ...BUCKET, REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix };
    a = await startEdgeGateway(env);
    b = await startEdgeGateway(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (redisUrl) await clearRedisPrefix(redisUrl, prefix);
  });

  it('gives a client one bucket across gateway instances', async () => {
    const headers = await as('shared-client');
    expect(await statuses(a, 2, headers)).toEqual([200, 200]);
    expect(await statuses(b, 1, headers)).toEqual([200]);
    const refused = await call(b, headers);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(a, headers)).status).toBe(429);
    // Another client is untouched.
    expect(await statuses(a, 1, await as('other-client'))).toEqual([200]);
  });

  it('takes tokens atomically under concurrent requests', async () => {
    const headers = await as('concurrent-client');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i % 2 ? a : b, headers)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });
});

describe('rate limiting by operation cost', () => {
  // Ten tokens, no refill within a test; an operation takes ceil(cost / 20) of them.
  const COSTED = { GATEWAY_RATE_LIMIT_PER_SECOND: '0.01', GATEWAY_RATE_LIMIT_BURST: '10', GATEWAY_RATE_LIMIT_COST_UNIT: '20', JWKS_URL: issuer.jwksUrl };
  const EXPENSIVE = { query: '{ orders(first: 20) { edges { node { id status weightKg } } } }' };
  let gw: RunningGateway;
  let plain: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway(COSTED);
    plain = await startEdgeGateway({ ...COSTED, GATEWAY_RATE_LIMIT_COST_UNIT: '0' });
  });
  afterAll(async () => {
    await gw?.close();
    await plain?.close();
  });

  it('charges an expensive operation its cost, refusing it with 429 before anything runs', async () => {
    const headers = await as('costly-client');
    // Admitted: it takes its cost (the subgraph it needs is not there in this suite, hence no data).
    const first = await send(gw.graphqlUrl, { body: EXPENSIVE, headers });
    expect(first.status).toBe(200);
    const second = await send(gw.graphqlUrl, { body: EXPENSIVE, headers });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const { code, cost } = second.body.errors[0].extensions;
    expect(code).toBe('RATE_LIMITED');
    const tokens = Math.ceil(cost / 20);
    expect(tokens).toBeGreaterThanOrEqual(3);
    // What is left: 10 - the first's tokens - the second's admission token; cheap operations take one each.
    const left = 10 - tokens - 1;
    expect(await statuses(gw, left + 1, headers)).toEqual([...Array(left).fill(200), 429]);
  });

  it('counts one token per operation, whatever its cost, when no cost unit is set', async () => {
    const headers = await as('plain-client');
    const results: number[] = [];
    for (let i = 0; i < 11; i++) results.push((await send(plain.graphqlUrl, { body: EXPENSIVE, headers })).status);
    expect(results).toEqual([...Array(10).fill(200), 429]);
  });
});
