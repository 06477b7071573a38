import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { TokenVerifier } from '../../subgraphs/kernel/auth/verifier.ts';
import { CONFIG_DEFAULTS } from '../../subgraphs/kernel/config.ts';
import { sendJson } from '../../subgraphs/kernel/http/server.ts';
import { clientAddress } from '../client-address.ts';
import type { GatewayContext } from '../context.ts';
import { credentialsOf } from '../credentials.ts';
import { measureOperationOnce, OPERATION_LIMITS_DEFAULTS } from './operation-limits.ts';
import { definePlugin, edgeError, type GatewayPlugin } from './types.ts';

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

/** The configuration's defaults (GATEWAY_RATE_LIMIT_PER_SECOND and _BURST), written once in its schema. */
export const RATE_LIMIT_DEFAULTS: BucketOptions = { perSecond: CONFIG_DEFAULTS.gateway.rateLimit!.perSecond, burst: CONFIG_DEFAULTS.gateway.rateLimit!.burst };

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

/** Checks an access token's signature and claims: the verifier every subgraph uses (kernel/auth/verifier.ts). */
export type CredentialVerifier = TokenVerifier;

/**
 * Who a request counts against, from credentials this edge verified and nothing else: the API key
 * the partner-keys plugin exchanged, else the user of a bearer token whose signature checks out
 * against iam's JWKS, else the client's address (trusted proxies counted from the right). An
 * unsigned, forged or expired token is no one: it draws on its sender's address, so it neither
 * opens a fresh bucket nor drains the bucket of the user it names.
 */
export async function clientKey(req: IncomingMessage, options: { trustedProxies: number; verify?: CredentialVerifier | undefined }): Promise<string> {
  const credentials = credentialsOf(req);
  if (credentials.partner) return `key:${credentials.partner.apiKeyId}`;
  const token = credentials.bearer;
  if (token && options.verify) {
    const result = await options.verify(token).catch(() => undefined);
    if (result && 'principal' in result) return `user:${result.principal.userId}`;
  }
  return `ip:${clientAddress(req, options.trustedProxies)}`;
}

export interface RateLimitOptions {
  store: TokenBucketStore;
  /** Proxies in front of the gateway that append to X-Forwarded-For (gateway/client-address.ts). Default 0. */
  trustedProxies?: number;
  /** Verifies bearer tokens; without it every bearer request is keyed by its address. */
  verify?: CredentialVerifier;
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

/** The rate limit as the live transports use it: admit a connection, then charge its messages. */
export interface RateLimiter {
  /** Takes a token for this request; the key it was charged to comes back either way. */
  admit(req: IncomingMessage): Promise<Decision & { key: string }>;
  /** Takes a token from a known key (a WebSocket message of an admitted connection). */
  take(key: string): Promise<Decision>;
}

/** The refusal body both HTTP and the live transports send. */
export function rateLimitedBody(retryAfterMs: number) {
  const { seconds, message } = refusal(retryAfterMs);
  return { seconds, body: { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfter: seconds } }] } };
}

/**
 * Answers 429 RATE_LIMITED with Retry-After, before the body is even read, once a client's bucket is
 * empty. With a cost unit, the request's first token admits it and, once the operation is known
 * (and before anything runs), the rest of its cost is taken from the same bucket.
 */
export function useRateLimit(options: RateLimitOptions): GatewayPlugin & { limiter: RateLimiter } {
  const { store, trustedProxies = 0, verify, costUnit = 0, defaultListSize = OPERATION_LIMITS_DEFAULTS.defaultListSize } = options;
  // The key the HTTP wrapper found, for the cost count once the operation is known.
  const keys = new WeakMap<IncomingMessage, string>();
  const take = async (key: string): Promise<Decision> => {
    try {
      return await store.take(key);
    } catch (error) {
      options.onStoreError?.(error);
      return { allowed: true, remaining: 0, retryAfterMs: 0 };
    }
  };
  const limiter: RateLimiter = {
    async admit(req) {
      const key = await clientKey(req, { trustedProxies, verify });
      keys.set(req, key);
      const decision = await take(key);
      if (!decision.allowed) options.onRejected?.(key, 'request');
      return { ...decision, key };
    },
    take,
  };
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
    limiter,
    // Only cost counting needs the key again, once the operation is known.
    ...(costUnit > 0 ? { apollo, context: (req: IncomingMessage) => ({ rateLimitKey: keys.get(req) }) } : {}),
    http: (next) => async (req, res) => {
      // Browsers' CORS preflights are not operations.
      if (req.method === 'OPTIONS') return next(req, res);
      const decision = await limiter.admit(req);
      if (decision.allowed) return next(req, res);
      const { seconds, body } = rateLimitedBody(decision.retryAfterMs);
      res.setHeader('retry-after', String(seconds));
      sendJson(res, 429, body);
    },
  };
}

/** On unless GATEWAY_RATE_LIMIT_PER_SECOND=0; it guards the stream route too, and hands its limiter to the WebSocket transport. */
export const rateLimitPlugin = definePlugin({
  name: 'rate-limit',
  codes: ['RATE_LIMITED'],
  stream: true,
  create: ({ config, logger, verify, metrics, requestBuckets, handoff }) => {
    const g = config.gateway;
    if (!g.rateLimit || !requestBuckets) return undefined;
    const plugin = useRateLimit({
      store: requestBuckets,
      trustedProxies: g.trustedProxies,
      verify,
      costUnit: g.rateLimit.costUnit,
      defaultListSize: g.limits.defaultListSize,
      // A refusal at the door never reaches Apollo, whose error count sees the cost refusals.
      onRejected: (_key, stage) => metrics?.rateLimited({ countError: stage === 'request' }),
      onStoreError: (error) => logger.warn('rate limit store failed; request let through', { error: (error as Error).message }),
    });
    handoff.rateLimit = plugin.limiter;
    return plugin;
  },
});
