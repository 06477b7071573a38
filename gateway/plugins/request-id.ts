import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';
import { definePlugin, type GatewayPlugin } from './types.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Answers every GraphQL response with its request's id: the one the gateway logs and forwards to
 * each subgraph (the client's own X-Request-Id when it sent a valid one, else a fresh UUID). A client,
 * a proxy's access log or a support ticket can then name the request without reading the body,
 * whether it succeeded, failed or came back partial.
 */
export function useRequestId(): GatewayPlugin {
  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
        },
      };
    },
  };
  return {
    name: 'request-id',
    apollo,
    // CORS, before this plugin, has said which response headers a browser may read: add this one.
    http: (next) => (req, res) => {
      const exposed = res.getHeader('access-control-expose-headers');
      if (typeof exposed === 'string') res.setHeader('access-control-expose-headers', `${exposed}, ${REQUEST_ID_HEADER}`);
      return next(req, res);
    },
  };
}

/** Right after CORS, whose exposed headers it extends. */
export const requestIdPlugin = definePlugin({
  name: 'request-id',
  description: 'GraphQL: every response carries `X-Request-Id`, the id the gateway logs and forwards to the subgraphs (the client\'s own when valid); browsers of allowed origins may read it. Always on.',
  codes: [],
  stream: false,
  create: () => useRequestId(),
});
