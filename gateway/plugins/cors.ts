import { definePlugin, type GatewayPlugin } from './types.ts';

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), or `scheme://host:*` for any port of a host. Empty: no browser origin. */
  origins: readonly string[];
  /** Request headers allowed besides the graph's own (an instrumented app's `baggage`, `sentry-trace`). */
  extraHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAgeSeconds?: number;
}

export const CORS_DEFAULTS = { maxAgeSeconds: 600 } as const;

/**
 * Headers a browser cannot send cross-site without a CORS preflight, which this gateway answers
 * only for allowed origins: a request carrying one cannot be a forged cross-site request. Apollo's
 * two, and the two that carry credentials, so that a partner's or an app's GET needs nothing more
 * (Apollo's csrfPrevention.requestHeaders, gateway/gateway.ts).
 */
export const PREFLIGHT_FORCING_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization', 'x-api-key'];

/** What browsers may send: Apollo's client and CSRF-prevention headers, credentials, tracing. */
const GRAPH_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'traceparent',
  'x-request-id',
];

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => {
    if (!pattern.endsWith(':*')) return pattern === origin;
    const base = pattern.slice(0, -2);
    return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
  });
}

/**
 * CORS for an allowlist of origins. Cookies are never used for credentials, so no
 * Allow-Credentials: a token travels in Authorization, which a foreign page cannot read.
 * A disallowed origin simply gets no CORS headers, and its browser blocks the response.
 */
export function useCors(options: CorsOptions): GatewayPlugin {
  const maxAge = String(options.maxAgeSeconds ?? CORS_DEFAULTS.maxAgeSeconds);
  const allowedHeaders = [...new Set([...GRAPH_HEADERS, ...(options.extraHeaders ?? [])])].join(', ');
  return {
    name: 'cors',
    http: (next) => async (req, res) => {
      const origin = req.headers.origin;
      const allowed = typeof origin === 'string' && originAllowed(origin, options.origins);
      res.setHeader('vary', 'Origin');
      if (allowed) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-expose-headers', 'retry-after');
      }
      if (req.method !== 'OPTIONS') return next(req, res);
      if (allowed) {
        res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
        res.setHeader('access-control-allow-headers', allowedHeaders);
        res.setHeader('access-control-max-age', maxAge);
      }
      res.writeHead(204, { allow: 'GET, POST, OPTIONS' });
      res.end();
    },
  };
}

/** First of all, so that every refusal after it carries CORS headers; it guards the stream route too. */
export const corsPlugin = definePlugin({
  name: 'cors',
  description: 'HTTP: CORS headers for the allowed origins (`GATEWAY_CORS_ORIGINS`) and the answer to preflights; first, so every refusal after it carries them. Always on.',
  codes: [],
  stream: true,
  create: ({ config }) => useCors({ origins: config.gateway.corsOrigins, extraHeaders: config.gateway.corsExtraHeaders }),
});
