import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { Redis } from 'ioredis';
import { CONFIG_DEFAULTS } from '../../subgraphs/platform/config.ts';
import type { GatewayContext } from '../context.ts';
import { definePlugin, type GatewayPlugin } from './types.ts';

type PersistedQueryOptions = Exclude<ApolloServerOptionsWithGateway<GatewayContext>['persistedQueries'], false | undefined>;
/** Apollo's KeyValueCache, as Apollo Server's options name it. */
export type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;

/** Apollo's KeyValueCache over ioredis, so every gateway instance sees the queries any of them registered. */
export class RedisKeyValueCache implements KeyValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    // Apollo's ttl is in seconds; null or absent: keep it.
    if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', Math.ceil(options.ttl));
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

export interface AutomaticPersistedQueriesOptions {
  /** Where registered queries live; default Apollo Server's own in-memory LRU cache. */
  cache?: KeyValueCache;
  /** Seconds a registered query is kept; default 1 day (Redis only: the in-memory cache evicts by size). */
  ttlSeconds?: number;
  onHit?(): void;
  onMiss?(): void;
  onRegister?(): void;
}

/** The configuration's (GATEWAY_APQ_TTL_SECONDS), written once in its schema. */
export const APQ_DEFAULTS = { ttlSeconds: CONFIG_DEFAULTS.gateway.apqTtlSeconds } as const;

/**
 * Apollo's automatic persisted queries: a client sends only `extensions.persistedQuery.sha256Hash`,
 * gets PERSISTED_QUERY_NOT_FOUND the first time, then sends hash and query once to register it.
 */
export function useAutomaticPersistedQueries(options: AutomaticPersistedQueriesOptions = {}): GatewayPlugin {
  const ttl = options.ttlSeconds ?? APQ_DEFAULTS.ttlSeconds;
  return {
    name: 'automatic-persisted-queries',
    serverOptions: { persistedQueries: options.cache ? { cache: options.cache, ttl } : { ttl } },
    apollo: {
      async requestDidStart({ request }) {
        if (!request.extensions?.persistedQuery) return;
        const byHashOnly = !request.query;
        return {
          async didResolveSource() {
            if (byHashOnly) options.onHit?.();
            else options.onRegister?.();
          },
          async didEncounterErrors({ errors }) {
            if (errors.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) options.onMiss?.();
          },
        };
      },
    },
  };
}

/** Registered queries in Redis when it is configured, so every gateway knows them; else in this one's memory. */
export const persistedQueriesPlugin = definePlugin({
  name: 'automatic-persisted-queries',
  description: 'GraphQL: Apollo\'s automatic persisted queries, shared through Redis when `REDIS_URL` is set. Always on.',
  codes: ['PERSISTED_QUERY_NOT_FOUND'],
  stream: false,
  create: ({ config, redis, metrics }) =>
    useAutomaticPersistedQueries({
      ...(redis ? { cache: new RedisKeyValueCache(redis, `${config.redis.keyPrefix}apq:`) } : {}),
      ttlSeconds: config.gateway.apqTtlSeconds,
      onHit: () => metrics?.persistedQuery('hit'),
      onMiss: () => metrics?.persistedQuery('miss'),
      onRegister: () => metrics?.persistedQuery('register'),
    }),
});
