import { Redis } from 'ioredis';
import type { Config } from '../subgraphs/platform/config.ts';
import type { EventTransport } from '../subgraphs/platform/events/transport.ts';
import type { Logger } from '../subgraphs/platform/logger.ts';
import { createTokenVerifier } from '../subgraphs/kernel/auth/verifier.ts';
import { createGatewayMetrics } from './metrics-registry.ts';
import { MemoryTokenBuckets, RedisTokenBuckets, type BucketOptions, type TokenBucketStore } from './token-buckets.ts';
import type { EdgeServices } from './plugins/types.ts';

/** What the plugins share, made once per gateway from the typed config; close() releases Redis. */
export function createEdgeServices(
  config: Config,
  logger: Logger,
  options: { urls?: Record<string, string> | undefined; transport?: EventTransport | undefined } = {},
): EdgeServices & { close(): Promise<void> } {
  const routed = options.urls;
  const g = config.gateway;
  // Tokens are believed only once verified as every subgraph does: against iam's JWKS (where the
  // gateway was told iam is, as the embedded graph's subgraphs are).
  const jwksUrl = routed?.iam ? new URL('/.well-known/jwks.json', routed.iam).toString() : config.jwt.jwksUrl;
  const verify = createTokenVerifier({ issuer: config.jwt.issuer, audience: config.jwt.audience, jwksUrl });
  const redis = config.redis.url
    ? new Redis(config.redis.url, {
        // A request waits at most one reconnect for Redis; past that the limiter lets it through.
        maxRetriesPerRequest: 1,
        enableAutoPipelining: true,
      })
    : undefined;
  let lastRedisError = '';
  redis?.on('error', (error: Error) => {
    // ioredis retries on its own; say so once per distinct failure, not once per retry.
    if (error.message !== lastRedisError) logger.warn('redis unavailable', { error: error.message });
    lastRedisError = error.message;
  });
  redis?.on('ready', () => (lastRedisError = ''));
  const buckets = (bucket: BucketOptions, name: string): TokenBucketStore =>
    redis ? new RedisTokenBuckets(redis, { ...bucket, keyPrefix: `${config.redis.keyPrefix}${name}` }) : new MemoryTokenBuckets(bucket);
  return {
    config,
    logger,
    urls: routed ?? config.urls,
    transport: options.transport,
    redis,
    buckets,
    verify,
    metrics: g.metrics ? createGatewayMetrics() : undefined,
    // One store for the rate limit, shared with the partner-key exchange of keys not yet verified.
    requestBuckets: g.rateLimit ? buckets(g.rateLimit, '') : undefined,
    handoff: {},
    close: async () => {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
