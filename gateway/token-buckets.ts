import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';

/*
 * The token buckets the edge's limits draw on, made once per gateway (edge.ts) and handed to the
 * plugins that charge them: shared services, not a plugin, so plugins/types.ts can name them
 * without importing a plugin.
 */

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

/** The rate limit as the live transports use it: admit a connection, then charge its messages. */
export interface RateLimiter {
  /** Takes a token for this request; the key it was charged to comes back either way. */
  admit(req: IncomingMessage): Promise<Decision & { key: string }>;
  /** Takes a token from a known key (a WebSocket message of an admitted connection). */
  take(key: string): Promise<Decision>;
}
