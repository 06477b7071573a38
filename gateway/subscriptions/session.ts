import type { IncomingHttpHeaders } from 'node:http';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import { authenticate, type Principal } from './authenticate.ts';
import type { LiveExecutor } from './executor.ts';
import type { LiveHub, LiveTransport } from './hub.ts';
import { parseLiveOperation, type DocumentLimits, type LiveRequest } from './operation.ts';
import type { PushQueue } from './queue.ts';
import { tokenRevokedError } from './revocation.ts';
import { liveSchema } from './schema.ts';
import { LIVE_CODES, LiveError } from './errors.ts';

export type LiveStream = PushQueue<FormattedExecutionResult>;

/** What both transports do: who is asking, is the document a valid subscription, then the stream. */
export interface LiveSession {
  authenticate(headers: IncomingHttpHeaders): Promise<Principal>;
  /** Resolves once events published from then on reach the stream. */
  subscribe(principal: Principal, request: LiveRequest, transport: LiveTransport): Promise<LiveStream>;
  /** Both at once (SSE: one request, one subscription). */
  open(headers: IncomingHttpHeaders, request: LiveRequest, transport: LiveTransport): Promise<LiveStream>;
}

/** How long a checked token is trusted for opening more subscriptions (pushes always run with it, so the graph still decides). */
export const PRINCIPAL_CACHE_MS = 10_000;

export function liveSession(options: {
  hub: LiveHub;
  execute: LiveExecutor;
  apiSchema: () => GraphQLSchema;
  /** The operation limits' pre-parse checks (defaults: parseLiveOperation's). */
  limits?: DocumentLimits;
  now?: () => number;
  /** A subscriber whose token the deny-list refuses (checked on every authentication, cached or not). */
  revoked?: (principal: Principal) => boolean;
  /** Trusted documents: whether a subscription's exact text is safelisted; unset, any text is. */
  trusted?: (query: string) => boolean;
  /** Resolves once the event feed listens (it joins on the first subscription); by default at once. */
  feedReady?: () => Promise<void>;
}): LiveSession {
  const now = options.now ?? Date.now;
  const notRevoked = (principal: Principal) => {
    if (options.revoked?.(principal)) throw tokenRevokedError();
    return principal;
  };
  const parse = (request: LiveRequest) => {
    if (options.trusted && !options.trusted(typeof request.query === 'string' ? request.query : '')) throw new LiveError(LIVE_CODES.notInList, 'This gateway runs safelisted operations only; the subscription is not in the safelist.');
    return parseLiveOperation(liveSchema(options.apiSchema()), request, options.limits);
  };
  // Many tabs (or a reconnect storm) of one user open many streams: one `me` query serves them.
  const checked = new Map<string, { principal: Promise<Principal>; until: number }>();
  const session: LiveSession = {
    authenticate(headers) {
      const key = typeof headers.authorization === 'string' && headers['x-api-key'] === undefined ? headers.authorization : undefined;
      if (key === undefined) return authenticate(headers, options.execute).then(notRevoked);
      const hit = checked.get(key);
      if (hit && hit.until > now()) return hit.principal.then(notRevoked);
      if (checked.size >= 10_000) checked.delete(checked.keys().next().value!);
      const principal = authenticate(headers, options.execute);
      checked.set(key, { principal, until: now() + PRINCIPAL_CACHE_MS });
      // A refusal or failure is not remembered: the next attempt asks again.
      principal.catch(() => checked.delete(key));
      return principal.then(notRevoked);
    },
    // A WebSocket authenticates once per connection: each subscription on it is checked again.
    async subscribe(principal, request, transport) {
      const stream = options.hub.subscribe(notRevoked(principal), parse(request), transport);
      try {
        await options.feedReady?.();
      } catch (error) {
        stream.end();
        throw error;
      }
      return stream;
    },
    async open(headers, request, transport) {
      // The document first: a malformed one is refused without a round trip to iam.
      parse(request);
      return session.subscribe(await session.authenticate(headers), request, transport);
    },
  };
  return session;
}
