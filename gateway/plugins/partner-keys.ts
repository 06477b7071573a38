import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sendJson } from '../../subgraphs/platform/http/server.ts';
import { CONFIG_DEFAULTS } from '../../subgraphs/platform/config.ts';
import type { Logger } from '../../subgraphs/platform/logger.ts';
import { isWellFormedSecret } from '../../subgraphs/kernel/auth/api-key-secret.ts';
import { credentialsOf, keyExchanged } from '../credentials.ts';
import { clientAddress } from '../client-address.ts';
import { rateLimitedBody } from './rate-limit.ts';
import { definePlugin, type GatewayPlugin } from './types.ts';

/** What iam's exchange gives for a valid key: a token of the key's principal and who it is. */
export interface PartnerSession {
  accessToken: string;
  apiKeyId: string;
  clientName: string;
  /** When the token expires (ms since the epoch); the cache never serves it past this. */
  expiresAtMs: number;
}

export interface PartnerKeysOptions {
  /** iam's POST /api-keys/exchange. */
  exchangeUrl: string;
  /** How long an exchange (or a refusal) is trusted; a revoked key stops working within it. 0: ask every time. */
  cacheSeconds: number;
  /** Keys remembered at once; the oldest entry makes room. */
  maxEntries?: number;
  /** Give up on iam after this long and answer 503. */
  exchangeTimeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
  logger?: Logger;
  /** A key was refused (malformed, unknown or revoked) and the request never went further. */
  onRefused?(): void;
  /**
   * Asked before a key the cache does not know goes to iam: a key nobody verified yet is its
   * sender's address's cost (the rate limit), so made-up keys cannot buy unlimited exchanges.
   */
  admitExchange?(req: IncomingMessage): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/** cacheSeconds is the configuration's (GATEWAY_API_KEY_CACHE_SECONDS), written once in its schema. */
export const PARTNER_KEYS_DEFAULTS = { cacheSeconds: CONFIG_DEFAULTS.gateway.partners.keyCacheSeconds, maxEntries: 10_000, exchangeTimeoutMs: 5_000 } as const;

/** A cached token is replaced this long before it expires, so it never expires on its way to a subgraph. */
const EXPIRY_MARGIN_MS = 10_000;

export class ExchangeUnavailable extends Error {
  override name = 'ExchangeUnavailable';
}

/**
 * Trades secrets for sessions through iam, remembering each answer (refusals too) for the cache
 * time. Entries are keyed by the secret's SHA-256, so no secret sits in memory longer than its
 * request. Concurrent requests with one key share one exchange.
 */
export function createKeyExchange(options: PartnerKeysOptions) {
  const o = { ...PARTNER_KEYS_DEFAULTS, ...options };
  const now = o.now ?? Date.now;
  const doFetch = o.fetch ?? fetch;
  const cache = new Map<string, { session: PartnerSession | null; until: number }>();
  const inFlight = new Map<string, Promise<PartnerSession | null>>();

  const remember = (hash: string, session: PartnerSession | null) => {
    const at = now();
    const ttl = Math.min(o.cacheSeconds * 1000, session ? session.expiresAtMs - EXPIRY_MARGIN_MS - at : Infinity);
    if (ttl <= 0) return;
    if (cache.size >= o.maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(hash, { session, until: at + ttl });
  };

  const ask = async (secret: string): Promise<PartnerSession | null> => {
    let res: Response;
    try {
      res = await doFetch(o.exchangeUrl, {
        method: 'POST',
        headers: { 'x-api-key': secret },
        signal: AbortSignal.timeout(o.exchangeTimeoutMs),
      });
    } catch (error) {
      throw new ExchangeUnavailable(`iam did not answer: ${(error as Error).message}`);
    }
    if (res.status === 401) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new ExchangeUnavailable(`iam answered ${res.status}`);
    }
    const body = (await res.json()) as { accessToken: string; apiKeyId: string; clientName: string; expiresAt: string };
    return { accessToken: body.accessToken, apiKeyId: body.apiKeyId, clientName: body.clientName, expiresAtMs: Date.parse(body.expiresAt) };
  };

  return {
    /** The session of a valid key, null for an unknown or revoked one; throws ExchangeUnavailable when iam cannot say. */
    async exchange(secret: string): Promise<PartnerSession | null> {
      const hash = createHash('sha256').update(secret).digest('hex');
      const hit = cache.get(hash);
      if (hit && hit.until > now()) return hit.session;
      if (hit) cache.delete(hash);
      const pending = inFlight.get(hash);
      if (pending) return pending;
      const work = ask(secret).then((session) => {
        remember(hash, session);
        return session;
      });
      inFlight.set(hash, work);
      try {
        return await work;
      } finally {
        inFlight.delete(hash);
      }
    },
    /** Whether an exchange of this secret would be answered without asking iam. */
    known(secret: string): boolean {
      const hit = cache.get(createHash('sha256').update(secret).digest('hex'));
      return !!hit && hit.until > now();
    },
    /** Entries held (for tests and metrics). */
    size: () => cache.size,
  };
}

const REFUSED = { errors: [{ message: 'The API key is invalid or revoked.', extensions: { code: 'UNAUTHENTICATED' } }] };

/**
 * Authenticates partner API keys at the edge, before anything else looks at the request: a
 * malformed, unknown or revoked key gets 401 and reaches no subgraph. A valid key's request goes
 * on as the key's principal: its credentials (gateway/credentials.ts) carry the key's id, client
 * and token, which the later stages read (the rate limit buckets by key id, the safelist picks the
 * client's manifest) and the subgraphs get as `Authorization: Bearer <token>` to verify as usual.
 */
export function usePartnerKeys(options: PartnerKeysOptions): GatewayPlugin {
  const keys = createKeyExchange(options);
  return {
    name: 'partner-keys',
    http: (next) => async (req, res) => {
      if (req.method === 'OPTIONS') return next(req, res);
      const secret = credentialsOf(req).apiKey;
      if (secret === undefined) return next(req, res);
      let session: PartnerSession | null = null;
      if (isWellFormedSecret(secret)) {
        if (options.admitExchange && !keys.known(secret)) {
          const admitted = await options.admitExchange(req);
          if (!admitted.allowed) {
            const { seconds, body } = rateLimitedBody(admitted.retryAfterMs);
            res.setHeader('retry-after', String(seconds));
            return sendJson(res, 429, body);
          }
        }
        try {
          session = await keys.exchange(secret);
        } catch (error) {
          options.logger?.warn('api key exchange failed', { error: (error as Error).message });
          return sendJson(res, 503, {
            errors: [
              {
                message: 'The API key could not be checked: the iam subgraph is unavailable.',
                extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'iam' },
              },
            ],
          });
        }
      }
      if (!session) {
        options.onRefused?.();
        res.setHeader('www-authenticate', 'ApiKey');
        return sendJson(res, 401, REFUSED);
      }
      keyExchanged(req, { apiKeyId: session.apiKeyId, clientName: session.clientName, accessToken: session.accessToken });
      // The secret goes no further: its header carries the key's id instead (and still forces a CORS preflight).
      if (req.headers['x-api-key'] === undefined) delete req.headers.authorization;
      req.headers['x-api-key'] = session.apiKeyId;
      return next(req, res);
    },
  };
}

/**
 * Before the rate limit, which then buckets a partner by its key's id (docs/partners.md); a key
 * nobody verified yet costs its sender's address a token of the request rate limit.
 */
export const partnerKeysPlugin = definePlugin({
  name: 'partner-keys',
  description: 'HTTP: exchanges a partner\'s API key with iam for a token (cached `GATEWAY_API_KEY_CACHE_SECONDS`), before the rate limit buckets the partner by it. Always on.',
  codes: ['UNAUTHENTICATED', 'RATE_LIMITED', 'SUBGRAPH_UNAVAILABLE'],
  stream: false,
  create: ({ config, logger, urls, metrics, requestBuckets }) => {
    const g = config.gateway;
    return usePartnerKeys({
      exchangeUrl: new URL('/api-keys/exchange', urls.iam ?? config.urls.iam).toString(),
      cacheSeconds: g.partners.keyCacheSeconds,
      logger,
      onRefused: () => metrics?.error('UNAUTHENTICATED'),
      ...(requestBuckets
        ? { admitExchange: (req: IncomingMessage) => requestBuckets.take(`ip:${clientAddress(req, g.trustedProxies)}`).catch(() => ({ allowed: true, retryAfterMs: 0 })) }
        : {}),
    });
  },
});
