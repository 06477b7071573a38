import type { IncomingHttpHeaders } from 'node:http';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import { authenticate, type Principal } from './authenticate.ts';
import type { LiveExecutor } from './executor.ts';
import type { LiveHub, LiveTransport } from './hub.ts';
import { parseLiveOperation, type LiveRequest } from './operation.ts';
import type { PushQueue } from './queue.ts';
import { liveSchema } from './schema.ts';

export type LiveStream = PushQueue<FormattedExecutionResult>;

/** What both transports do: who is asking, is the document a valid subscription, then the stream. */
export interface LiveSession {
  authenticate(headers: IncomingHttpHeaders): Promise<Principal>;
  subscribe(principal: Principal, request: LiveRequest, transport: LiveTransport): LiveStream;
  /** Both at once (SSE: one request, one subscription). */
  open(headers: IncomingHttpHeaders, request: LiveRequest, transport: LiveTransport): Promise<LiveStream>;
}

export function liveSession(options: { hub: LiveHub; execute: LiveExecutor; apiSchema: () => GraphQLSchema }): LiveSession {
  const session: LiveSession = {
    authenticate: (headers) => authenticate(headers, options.execute),
    subscribe: (principal, request, transport) =>
      options.hub.subscribe(principal, parseLiveOperation(liveSchema(options.apiSchema()), request), transport),
    async open(headers, request, transport) {
      // The document first: a malformed one is refused without a round trip to iam.
      parseLiveOperation(liveSchema(options.apiSchema()), request);
      return session.subscribe(await session.authenticate(headers), request, transport);
    },
  };
  return session;
}
