import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './server.ts';
import { availableRedis, clearRedisPrefix, send, startEdgeGateway, testKeyPrefix } from './testing/edge.ts';
import { startTestGraph, type TestGraph } from './testing/harness.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const redisUrl = await availableRedis();
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('automatic persisted queries', () => {
  let g: TestGraph;
  let auth: Record<string, string>;
  beforeAll(async () => {
    g = await startTestGraph('pglite');
    auth = { authorization: `Bearer ${await g.login('dispatcher@demo.test')}` };
  });
  afterAll(() => g?.close());

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, registers it with the query, then runs it by hash', async () => {
    const query = 'query MeByHash { me { email } }';
    const hash = sha256(query);
    const miss = await send(g.url, { body: { extensions: apq(hash) }, headers: auth });
    expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const register = await send(g.url, { body: { query, extensions: apq(hash) }, headers: auth });
    expect(register.body).toEqual({ data: { me: { email: 'dispatcher@demo.test' } } });

    const hit = await send(g.url, { body: { extensions: apq(hash) }, headers: auth });
    expect(hit.body).toEqual({ data: { me: { email: 'dispatcher@demo.test' } } });
    // By GET too (cacheable by CDNs), with a header that satisfies CSRF prevention.
    const get = await send(g.url, { search: { extensions: JSON.stringify(apq(hash)) }, headers: { ...auth, 'apollo-require-preflight': 'true' } });
    expect(get.body).toEqual({ data: { me: { email: 'dispatcher@demo.test' } } });

    const metrics = (await send(new URL('/metrics', g.url).toString())).body as string;
    expect(metrics).toMatch(/^graphql_persisted_queries_total\{result="miss"\} 1$/m);
    expect(metrics).toMatch(/^graphql_persisted_queries_total\{result="register"\} 1$/m);
    expect(metrics).toMatch(/^graphql_persisted_queries_total\{result="hit"\} 2$/m);
  });

  it('refuses a query that does not match its hash', async () => {
    const res = await send(g.url, { body: { query: '{ me { id } }', extensions: apq(sha256('{ me { email } }')) } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
  });

  it('keeps queries in each instance’s memory when no Redis is configured', async () => {
    const query = '{ me { name } }';
    await send(g.url, { body: { query, extensions: apq(sha256(query)) }, headers: auth });
    const other = await startEdgeGateway({}, { graph: g });
    try {
      const res = await send(other.graphqlUrl, { body: { extensions: apq(sha256(query)) }, headers: auth });
      expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await other.close();
    }
  });

  describe.skipIf(!redisUrl)('shared through Redis', () => {
    const prefix = testKeyPrefix();
    let a: RunningGateway;
    let b: RunningGateway;
    beforeAll(async () => {
      const env = { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix, GATEWAY_APQ_TTL_SECONDS: '600' };
      a = await startEdgeGateway(env, { graph: g });
      b = await startEdgeGateway(env, { graph: g });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      if (redisUrl) await clearRedisPrefix(redisUrl, prefix);
    });

    it('lets a second gateway run by hash what the first registered', async () => {
      const query = 'query SharedMe { me { email roles } }';
      const hash = sha256(query);
      expect((await send(b.graphqlUrl, { body: { extensions: apq(hash) }, headers: auth })).body.errors[0].extensions.code).toBe(
        'PERSISTED_QUERY_NOT_FOUND',
      );
      expect((await send(a.graphqlUrl, { body: { query, extensions: apq(hash) }, headers: auth })).body.data.me.email).toBe('dispatcher@demo.test');
      const hit = await send(b.graphqlUrl, { body: { extensions: apq(hash) }, headers: auth });
      expect(hit.body).toEqual({ data: { me: { email: 'dispatcher@demo.test', roles: expect.any(Array) } } });

      // Stored under the configured prefix, with the configured lifetime.
      const redis = new Redis(redisUrl!);
      try {
        const keys = await redis.keys(`${prefix}apq:*`);
        expect(keys.some((k) => k.endsWith(hash))).toBe(true);
        const key = keys.find((k) => k.endsWith(hash))!;
        expect(await redis.get(key)).toBe(query);
        expect(await redis.ttl(key)).toBeGreaterThan(0);
      } finally {
        redis.disconnect();
      }
    });
  });
});
