import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { sendJson } from '../../subgraphs/kernel/http/server.ts';
import type { GatewayContext } from '../context.ts';
import { measureOperationOnce } from './operation-limits.ts';
import { edgeError, type GatewayPlugin } from './types.ts';

export interface Decision {
  allowed: boolean;
  /** Whole tokens left in the bucket after this request. */
  remaining: number;
  /** When refused: how long until the request would be allowed. */
  retryAfterMs: number;
}

/** Token buckets by client key; each take() is atomic for its key. */
export interface TokenBucketStore {
  take(key: string, cost?: number): Promise<Decision>;
}

export interface BucketOptions {
  /** Tokens added per second (sustained requests per second). */
  perSecond: number;
  /** Bucket size: how many requests a client may send at once after being idle. */
  burst: number;
}

export const RATE_LIMIT_DEFAULTS: BucketOptions = { perSecond: 100, burst: 200 };

const decide = (tokens: number, cost: number, perSecond: number) =>
  tokens >= cost
    ? { allowed: true, tokens: tokens - cost, retryAfterMs: 0 }
    : { allowed: false, tokens, retryAfterMs: Math.ceil(((cost - tokens) * 1000) / perSecond) };

/** One process's buckets. Buckets that have refilled completely are forgotten, so memory stays bounded by active clients. */
export class MemoryTokenBuckets implements TokenBucketStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly options: BucketOptions,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async take(key: string, cost = 1): Promise<Decision> {
    const { perSecond, burst } = this.options;
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(burst, bucket.tokens + ((now - bucket.at) * perSecond) / 1000) : burst;
    const d = decide(tokens, cost, perSecond);
    if (!bucket && this.buckets.size >= this.maxKeys) this.prune(now);
    this.buckets.set(key, { tokens: d.tokens, at: now });
    return { allowed: d.allowed, remaining: Math.floor(d.tokens), retryAfterMs: d.retryAfterMs };
  }

  private prune(now: number) {
    const { perSecond, burst } = this.options;
    for (const [key, b] of this.buckets) if (b.tokens + ((now - b.at) * perSecond) / 1000 >= burst) this.buckets.delete(key);
    // Still full of busy clients: start over rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}

/**
 * Refill and take in one Lua script, so every gateway sharing the Redis server sees one bucket per
 * client. Redis's clock (TIME) is the only clock, so gateways with skewed clocks still agree.
 * Returns {allowed, tokens left (as a string, Lua numbers lose fractions), retry after ms}.
 */
const TAKE_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, tostring(tokens), retry}
`;

type TakeCommand = (key: string, rate: number, burst: number, cost: number) => Promise<[number, string, number]>;

export class RedisTokenBuckets implements TokenBucketStore {
  private readonly command: TakeCommand;
  constructor(
    redis: Redis,
    private readonly options: BucketOptions & { keyPrefix: string },
  ) {
    if (!(redis as unknown as { voidtrackerTakeToken?: unknown }).voidtrackerTakeToken) {
      redis.defineCommand('voidtrackerTakeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    }
    const r = redis as unknown as { voidtrackerTakeToken: TakeCommand };
    this.command = (...args) => r.voidtrackerTakeToken(...args);
  }

  async take(key: string, cost = 1): Promise<Decision> {
    const { perSecond, burst, keyPrefix } = this.options;
    const [allowed, tokens, retry] = await this.command(`${keyPrefix}ratelimit:${key}`, perSecond, burst, cost);
    return { allowed: allowed === 1, remaining: Math.floor(Number(tokens)), retryAfterMs: Number(retry) };
  }
}

/**
 * Who a request counts against: its API key, else the user its bearer token names, else its
 * address. The token is only decoded, never verified, here: a forged `sub` only spends that
 * user's budget, and every subgraph still verifies the token before trusting it.
 */
export function clientKey(req: IncomingMessage, trustProxy: boolean): string {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return `key:${createHash('sha256').update(apiKey).digest('hex').slice(0, 32)}`;
  const sub = bearerSubject(req.headers.authorization);
  if (sub) return `user:${sub}`;
  const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
  return `ip:${forwarded || req.socket.remoteAddress || 'unknown'}`;
}

function bearerSubject(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const sub = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub;
    return typeof sub === 'string' && sub.length > 0 && sub.length <= 200 ? sub : undefined;
  } catch {
    return undefined;
  }
}

export interface RateLimitOptions {
  store: TokenBucketStore;
  /** Key anonymous clients by X-Forwarded-For (only behind a proxy that sets it). Default false. */
  trustProxy?: boolean;
  /** A request was refused: at the door ('request'), or once its operation's cost was known ('cost'). */
  onRejected?(key: string, stage: 'request' | 'cost'): void;
  /** The store failed (Redis down): the request is let through, since the graph outlives its limiter. */
  onStoreError?(error: unknown): void;
  /**
   * Count operations by their estimated cost rather than one each: a request takes
   * ceil(cost / costUnit) tokens (at least one). 0 or unset: one token per request.
   */
  costUnit?: number;
  /** The list size the cost estimate assumes where a list has no `first`/`last`/`limit`. */
  defaultListSize?: number;
}

/** Tokens an operation of this estimated cost takes. */
export const tokensFor = (cost: number, costUnit: number) => (costUnit > 0 ? Math.max(1, Math.ceil(cost / costUnit)) : 1);

const refusal = (retryAfterMs: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return { seconds, message: `Too many requests; retry in ${seconds} s.` };
};

/**
 * Answers 429 RATE_LIMITED with Retry-After, before the body is even read, once a client's bucket is
 * empty. With a cost unit, the request's first token admits it and, once the operation is known
 * (and before anything runs), the rest of its cost is taken from the same bucket.
 */
export function useRateLimit(options: RateLimitOptions): GatewayPlugin {
  const { store, trustProxy = false, costUnit = 0, defaultListSize = 10 } = options;
  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      const key = contextValue.rateLimitKey;
      if (!key) return;
      return {
        async didResolveOperation({ document, operation, schema, request, response }) {
          if (!operation) return;
          const { cost } = measureOperationOnce(document, operation, schema, request.variables ?? {}, defaultListSize);
          // Unbounded (a cycle of fragments) is refused by the operation limits; count it as the most a bucket holds.
          const extra = tokensFor(Number.isFinite(cost) ? cost : Number.MAX_SAFE_INTEGER, costUnit) - 1;
          if (extra <= 0) return;
          let decision: Decision;
          try {
            decision = await store.take(key, extra);
          } catch (error) {
            options.onStoreError?.(error);
            return;
          }
          if (decision.allowed) return;
          options.onRejected?.(key, 'cost');
          const { seconds, message } = refusal(decision.retryAfterMs);
          response.http.headers.set('retry-after', String(seconds));
          throw new GraphQLError(message, { extensions: edgeError('RATE_LIMITED', 429, { retryAfter: seconds, cost }) });
        },
      };
    },
  };
  return {
    name: 'rate-limit',
    // Only cost counting needs the key again, once the operation is known.
    ...(costUnit > 0 ? { apollo, context: (req: IncomingMessage) => ({ rateLimitKey: clientKey(req, trustProxy) }) } : {}),
    http: (next) => async (req, res) => {
      // Browsers' CORS preflights are not operations.
      if (req.method === 'OPTIONS') return next(req, res);
      const key = clientKey(req, trustProxy);
      let decision: Decision;
      try {
        decision = await store.take(key);
      } catch (error) {
        options.onStoreError?.(error);
        return next(req, res);
      }
      if (decision.allowed) return next(req, res);
      options.onRejected?.(key, 'request');
      const { seconds, message } = refusal(decision.retryAfterMs);
      res.setHeader('retry-after', String(seconds));
      sendJson(res, 429, { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfter: seconds } }] });
    },
  };
}
