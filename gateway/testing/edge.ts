/** Helpers for the edge suites: extra gateway instances, raw requests, and the Redis they may share. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig, type Env } from '../../subgraphs/platform/config.ts';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import { startGateway, type RunningGateway } from '../server.ts';
import type { TestGraph } from './harness.ts';

/**
 * A gateway of its own configuration on an ephemeral port, routing to the subgraphs of `graph`
 * (or to `urls`; with neither, to nothing: enough for `{ __typename }`, which never leaves the gateway).
 */
export async function startEdgeGateway(env: Env, route: { graph?: TestGraph; urls?: Record<string, string> } = {}): Promise<RunningGateway> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', GATEWAY_RATE_LIMIT_PER_SECOND: '0', ...env });
  const urls = route.urls ?? Object.fromEntries((route.graph?.graph.subgraphs ?? []).map((s) => [s.name, s.url]));
  return startGateway(config, createLogger(config.logLevel), { urls, port: 0 });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** POSTs JSON (or GETs with `search`) and returns status, headers and the parsed body (text when not JSON). */
export async function send(
  url: string,
  init: { body?: unknown; headers?: Record<string, string>; method?: string; search?: Record<string, string> } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(init.search ?? {})) target.searchParams.set(k, v);
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const res = await fetch(target, {
    method,
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/**
 * The Redis server of TEST_REDIS_URL (default the local one) when it answers, else undefined.
 * In CI it must answer: the Redis-backed suites are not allowed to skip there.
 */
export async function availableRedis(env: Env = process.env): Promise<string | undefined> {
  const url = env.TEST_REDIS_URL ?? DEFAULT_REDIS;
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch (error) {
    if (env.CI) throw new Error(`CI needs Redis at ${url}: ${(error as Error).message}`);
    console.warn(`Redis suites skipped: nothing answers at ${url} (set TEST_REDIS_URL).`);
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** A key prefix of its own per test, so runs sharing a Redis server never see each other's keys. */
export const testKeyPrefix = () => `vt_test_${randomBytes(4).toString('hex')}:`;

/** Deletes every key under a test's prefix. */
export async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(...keys);
  } finally {
    client.disconnect();
  }
}

/** A JWT-shaped token naming any subject, with no valid signature: what anyone can send without an account. */
export const unsignedToken = (sub: string, claims: Record<string, unknown> = {}) =>
  [{ alg: 'ES256', typ: 'JWT' }, { sub, ...claims }, 'not-a-signature']
    .map((part) => (typeof part === 'string' ? part : Buffer.from(JSON.stringify(part)).toString('base64url')))
    .join('.');
