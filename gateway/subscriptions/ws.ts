import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import type { ExecutionResult } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../subgraphs/kernel/logger.ts';
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
  const wss = new WebSocketServer({ noServer: true });
  const principals = new WeakMap<object, Principal>();
  const disposable = useServer(
    {
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        try {
          principals.set(ctx, await options.session.authenticate(credentials(ctx.connectionParams, ctx.extra.request)));
          return true;
        } catch (error) {
          if (!(error instanceof LiveError)) throw error;
          ctx.extra.socket.close(error.kind.close, `${error.code}: ${error.message}`.slice(0, 120));
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const principal = principals.get(ctx);
        if (!principal) return [new LiveError(LIVE_CODES.unauthenticated, 'Not authenticated.').toGraphQLError()];
        const request: LiveRequest = payload;
        let stream: LiveStream;
        try {
          stream = options.session.subscribe(principal, request, 'ws');
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
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      if ((req.url ?? '/').split('?')[0] !== options.path) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    /** Closes every socket (1001 going away), ending their subscriptions. */
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
