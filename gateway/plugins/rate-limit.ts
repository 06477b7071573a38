import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { TokenVerifier } from '../../subgraphs/kernel/auth/verifier.ts';
import { CONFIG_DEFAULTS } from '../../subgraphs/platform/config.ts';
import { sendJson } from '../../subgraphs/platform/http/server.ts';
import { clientAddress } from '../client-address.ts';
import type { GatewayContext } from '../context.ts';
import { credentialsOf } from '../credentials.ts';
import { measureOperationOnce, OPERATION_LIMITS_DEFAULTS } from './operation-limits.ts';
import { definePlugin, edgeError, type GatewayPlugin } from './types.ts';
import type { BucketOptions, Decision, RateLimiter, TokenBucketStore } from '../token-buckets.ts';

/** The configuration's defaults (GATEWAY_RATE_LIMIT_PER_SECOND and _BURST), written once in its schema. */
export const RATE_LIMIT_DEFAULTS: BucketOptions = { perSecond: CONFIG_DEFAULTS.gateway.rateLimit!.perSecond, burst: CONFIG_DEFAULTS.gateway.rateLimit!.burst };

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
  description: 'HTTP, and GraphQL for the cost: a token bucket per client (verified key, else user, else address). On while `GATEWAY_RATE_LIMIT_PER_SECOND` > 0.',
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
