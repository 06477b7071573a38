import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import type { ExecutionResult } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../subgraphs/platform/logger.ts';
import { originAllowed } from '../plugins/cors.ts';
import { rateLimitedBody } from '../plugins/rate-limit.ts';
import type { RateLimiter } from '../token-buckets.ts';
import type { Principal } from './authenticate.ts';
import { LIVE_CODES, LiveError } from './errors.ts';
import { graphqlOfGateway } from './graphql-realm.ts';
import type { LiveRequest } from './operation.ts';
import { liveSchema } from './schema.ts';
import type { LiveSession, LiveStream } from './session.ts';

export interface WsOptions {
  session: LiveSession;
  apiSchema: () => GraphQLSchema;
  path: string;
  keepAliveSeconds: number;
  logger: Logger;
  /** Largest message accepted, connection_init included; a larger one closes the socket (1009). */
  maxPayloadBytes: number;
  /** Subscriptions open at once on one socket. */
  maxPerConnection: number;
  /** Browser origins allowed to open a socket (the CORS allowlist); a request without Origin is no browser's. */
  origins: readonly string[];
  /** The HTTP edge's rate limit: one token per upgrade and per subscribe message. */
  rateLimit?: RateLimiter | undefined;
}

/** A refusal before the socket is a WebSocket: a plain HTTP answer, then the connection closes. */
function refuseUpgrade(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
}

/** The credentials of a connection: connection_init's payload (browsers cannot set headers), else the upgrade request's. */
function credentials(params: Record<string, unknown> | undefined, request: IncomingMessage) {
  const pick = (...names: string[]) => names.map((n) => params?.[n]).find((v): v is string => typeof v === 'string');
  const key = pick('x-api-key', 'apiKey') ?? request.headers['x-api-key'];
  return { authorization: pick('authorization', 'Authorization') ?? request.headers.authorization, ...(key !== undefined ? { 'x-api-key': key } : {}) };
}

/**
 * graphql-ws's CommonJS build, which shares graphql with the gateway: it checks errors with
 * instanceof, so they must come from the same copy (graphqlOfGateway).
 */
const { useServer } = createRequire(import.meta.url)('graphql-ws/use/ws') as typeof import('graphql-ws/use/ws');
const { GraphQLError, parse } = graphqlOfGateway;

/** graphql-ws serialises errors itself (toJSON), so it wants GraphQLError instances. */
const revived = (result: FormattedExecutionResult): ExecutionResult => ({
  ...(result.data !== undefined ? { data: result.data } : {}),
  ...(result.errors
    ? { errors: result.errors.map((e) => new GraphQLError(e.message, { ...(e.extensions ? { extensions: e.extensions } : {}), ...(e.path ? { path: e.path } : {}) })) }
    : {}),
});

/** The stream as graphql-ws iterates it; leaving (the client's complete) reaches the stream at once. */
function asIterable(stream: LiveStream): AsyncIterableIterator<ExecutionResult> {
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const r = await stream.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: revived(r.value) };
    },
    return: async () => {
      await stream.return();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the GraphQL path. The caller is checked on
 * connection_init (4401 / 4403 close codes); each subscribe message is checked like an SSE
 * request, a bad one answered with an `error` message carrying BAD_SUBSCRIPTION.
 */
export function wsServer(options: WsOptions) {
  // The payload limit holds before authentication: ws refuses a larger frame as it arrives.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const principals = new WeakMap<object, Principal>();
  // The bucket each socket was admitted on; once its user is known, that user's.
  const bucketOf = new WeakMap<IncomingMessage, string>();
  const disposable = useServer(
    {
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        try {
          const principal = await options.session.authenticate(credentials(ctx.connectionParams, ctx.extra.request));
          principals.set(ctx, principal);
          bucketOf.set(ctx.extra.request, `user:${principal.userId}`);
          return true;
        } catch (error) {
          if (!(error instanceof LiveError)) throw error;
          ctx.extra.socket.close(error.kind.close, `${error.code}: ${error.message}`.slice(0, 120));
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const principal = principals.get(ctx);
        if (!principal) return [new LiveError(LIVE_CODES.unauthenticated, 'Not authenticated.').toGraphQLError()];
        // graphql-ws has already registered this id, so the count includes it.
        if (Object.keys(ctx.subscriptions).length > options.maxPerConnection) {
          const max = options.maxPerConnection;
          return [new LiveError(LIVE_CODES.tooMany, `At most ${max} subscriptions may be open on one connection.`, { limit: max }).toGraphQLError()];
        }
        const bucket = bucketOf.get(ctx.extra.request);
        if (options.rateLimit && bucket) {
          const decision = await options.rateLimit.take(bucket);
          if (!decision.allowed) {
            const { seconds, body } = rateLimitedBody(decision.retryAfterMs);
            return [new LiveError(LIVE_CODES.rateLimited, body.errors[0]!.message, { retryAfter: seconds }).toGraphQLError()];
          }
        }
        const request: LiveRequest = payload;
        let stream: LiveStream;
        try {
          stream = await options.session.subscribe(principal, request, 'ws');
        } catch (error) {
          if (error instanceof LiveError) return [error.toGraphQLError()];
          throw error;
        }
        // graphql-ws picks subscribe() by the document's operation; the stream travels in the context.
        return {
          schema: liveSchema(options.apiSchema()),
          document: parse(payload.query),
          operationName: payload.operationName ?? null,
          contextValue: { stream },
        };
      },
      subscribe: (args) => asIterable((args.contextValue as { stream: LiveStream }).stream),
    },
    wss,
    options.keepAliveSeconds * 1000,
  );
  return {
    /** The HTTP edge for upgrades: the origin allowlist, then the rate limit, then the WebSocket. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      if ((req.url ?? '/').split('?')[0] !== options.path) {
        socket.destroy();
        return;
      }
      const origin = req.headers.origin;
      if (typeof origin === 'string' && !originAllowed(origin, options.origins)) {
        return refuseUpgrade(socket, 403, { errors: [{ message: 'This origin may not open a WebSocket here.', extensions: { code: 'FORBIDDEN' } }] });
      }
      void (async () => {
        if (options.rateLimit) {
          const decision = await options.rateLimit.admit(req);
          if (!decision.allowed) {
            const { seconds, body } = rateLimitedBody(decision.retryAfterMs);
            return refuseUpgrade(socket, 429, body, { 'Retry-After': String(seconds) });
          }
          bucketOf.set(req, decision.key);
        }
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      })().catch((error: unknown) => {
        options.logger.warn('websocket upgrade failed', { error: (error as Error).message });
        socket.destroy();
      });
    },
    /** Closes every socket (1001 going away), ending their subscriptions. */
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
