import type { IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import type { Config } from '../subgraphs/kernel/config.ts';
import type { Logger } from '../subgraphs/kernel/logger.ts';
import { useCors } from './plugins/cors.ts';
import { useMetrics, type GatewayMetrics } from './plugins/metrics.ts';
import { useOperationLimits } from './plugins/operation-limits.ts';
import { usePartnerKeys } from './plugins/partner-keys.ts';
import { createManifestStore, discoverManifests } from './plugins/partner-manifest-store.ts';
import { usePartnerSafelist } from './plugins/partner-safelist.ts';
import { operationId } from './plugins/partner-manifest.ts';

/** The manifest client of first-party apps in trusted-documents mode; not a name a partner key can carry (it has a space). */
export const FIRST_PARTY_CLIENT = 'first party';
import { RedisKeyValueCache, useAutomaticPersistedQueries } from './plugins/persisted-queries.ts';
import { createTokenVerifier } from '../subgraphs/kernel/auth/verifier.ts';
import { guardMetrics } from '../subgraphs/kernel/http/metrics-access.ts';
import { clientAddress } from './client-address.ts';
import { MemoryLoginBackoff, RedisLoginBackoff, useLoginLimit } from './plugins/login-limit.ts';
import { MemoryTokenBuckets, RedisTokenBuckets, useRateLimit, type RateLimiter, type TokenBucketStore, type BucketOptions } from './plugins/rate-limit.ts';
import type { GatewayPlugin } from './plugins/types.ts';

export interface Edge {
  /** In the order their HTTP parts run: CORS first (so refusals carry CORS headers), then partner keys, then the rate limit. */
  plugins: GatewayPlugin[];
  metrics: GatewayMetrics | undefined;
  /** The rate limit for the live transports (WebSocket upgrades and messages); undefined when off. */
  rateLimit: RateLimiter | undefined;
  /** Trusted-documents mode: whether a subscription's text is in the first-party manifest; undefined when off. */
  trustedDocument: ((query: string) => boolean) | undefined;
  close(): Promise<void>;
}

/** The gateway's edge features, configured from the typed config. */
export function createEdge(config: Config, logger: Logger, routed?: Record<string, string>): Edge {
  const urls: Record<string, string> = routed ?? config.urls;
  const g = config.gateway;
  // The rate limit believes a bearer token only once it verified it as every subgraph does: against
  // iam's JWKS (where the gateway was told iam is, as the embedded graph's subgraphs are).
  const jwksUrl = routed?.iam ? new URL('/.well-known/jwks.json', routed.iam).toString() : config.jwt.jwksUrl;
  const verify = createTokenVerifier({ issuer: config.jwt.issuer, audience: config.jwt.audience, jwksUrl });
  const buckets = (options: BucketOptions, name: string): TokenBucketStore =>
    redis ? new RedisTokenBuckets(redis, { ...options, keyPrefix: `${config.redis.keyPrefix}${name}` }) : new MemoryTokenBuckets(options);
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

  // One store for the rate limit, shared with the partner-key exchange of keys not yet verified.
  const mainBuckets = g.rateLimit ? buckets(g.rateLimit, '') : undefined;
  const plugins: GatewayPlugin[] = [useCors({ origins: g.corsOrigins, extraHeaders: g.corsExtraHeaders })];
  const metricsPlugin = g.metrics ? useMetrics() : undefined;
  const metrics = metricsPlugin?.metrics;
  if (metricsPlugin) {
    const routes = Object.fromEntries(Object.entries(metricsPlugin.routes ?? {}).map(([path, h]) => [path, guardMetrics(h, config.exposure)]));
    plugins.push({ ...metricsPlugin, routes });
  }
  // Partner keys before the rate limit, which then buckets a partner by its key's id (docs/partners.md).
  plugins.push(
    usePartnerKeys({
      exchangeUrl: new URL('/api-keys/exchange', urls.iam ?? config.urls.iam).toString(),
      cacheSeconds: g.partners.keyCacheSeconds,
      logger,
      onRefused: () => metrics?.error('UNAUTHENTICATED'),
      ...(mainBuckets ? { admitExchange: (req: IncomingMessage) => mainBuckets.take(`ip:${clientAddress(req, g.trustedProxies)}`).catch(() => ({ allowed: true, retryAfterMs: 0 })) } : {}),
    }),
  );
  let rateLimit: RateLimiter | undefined;
  if (g.rateLimit) {
    const plugin = useRateLimit({
      store: mainBuckets!,
      trustedProxies: g.trustedProxies,
      verify,
      costUnit: g.rateLimit.costUnit,
      defaultListSize: g.limits.defaultListSize,
      // A refusal at the door never reaches Apollo, whose error count sees the cost refusals.
      onRejected: (_key, stage) => metrics?.rateLimited({ countError: stage === 'request' }),
      onStoreError: (error) => logger.warn('rate limit store failed; request let through', { error: (error as Error).message }),
    });
    rateLimit = plugin.limiter;
    plugins.push(plugin);
  }
  if (g.login) {
    const backoff = { freeFailures: g.login.freeFailures, maxBackoffSeconds: g.login.maxBackoffSeconds };
    plugins.push(
      useLoginLimit({
        accounts: buckets(g.login.account, 'login-account:'),
        addresses: buckets(g.login.address, 'login-address:'),
        backoff: redis ? new RedisLoginBackoff(redis, { ...backoff, keyPrefix: config.redis.keyPrefix }) : new MemoryLoginBackoff(backoff),
        trustedProxies: g.trustedProxies,
        onRejected: () => metrics?.rateLimited({ countError: false }),
        onStoreError: (error) => logger.warn('login limit store failed; attempt let through', { error: (error as Error).message }),
      }),
    );
  }
  plugins.push(useOperationLimits({ ...g.limits, maxDocumentBytes: g.maxDocumentBytes }, { onRefused: (code) => metrics?.error(code) }));
  // After the rate limit (a partner's body is read only within its budget); it answers a partner's id
  // from the client's safelist before Apollo, so the APQ cache never sees it.
  // Trusted documents (docs/web.md): everyone else runs the web app's manifest, by id, and nothing else.
  const trustedOnly = g.trustedDocuments.mode === 'safelist';
  const manifests = createManifestStore({
    sources: { ...(g.partners.manifests ?? discoverManifests('persisted-queries')), ...(trustedOnly ? { [FIRST_PARTY_CLIENT]: g.trustedDocuments.appManifest } : {}) },
    pollSeconds: g.partners.pollSeconds,
    logger: logger.child({ plugin: 'partner-safelist' }),
  });
  const safelist = usePartnerSafelist({
    store: manifests,
    maxBodyBytes: g.maxBodyBytes,
    onHit: () => metrics?.persistedQuery('hit'),
    onRefused: (code) => metrics?.error(code),
    ...(trustedOnly ? { firstParty: FIRST_PARTY_CLIENT } : {}),
  });
  plugins.push({ ...safelist, close: () => manifests.close() });
  // Subscriptions travel as text (graphql-ws, graphql-sse): safelisted when that exact text is in the manifest.
  const trustedDocument = trustedOnly ? (query: string) => manifests.lookup(FIRST_PARTY_CLIENT, operationId(query)) !== undefined : undefined;
  plugins.push(
    useAutomaticPersistedQueries({
      ...(redis ? { cache: new RedisKeyValueCache(redis, `${config.redis.keyPrefix}apq:`) } : {}),
      ttlSeconds: g.apqTtlSeconds,
      onHit: () => metrics?.persistedQuery('hit'),
      onMiss: () => metrics?.persistedQuery('miss'),
      onRegister: () => metrics?.persistedQuery('register'),
    }),
  );
  return {
    plugins,
    metrics,
    rateLimit,
    trustedDocument,
    close: async () => {
      for (const p of plugins) await p.close?.();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
