import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.ts';
import { definePlugin } from './plugins/types.ts';

/**
 * A response whose every error is SERVICE_OVERLOADED was refused for load alone: it answers HTTP
 * 503 with Retry-After (the longest `retryAfter` a subgraph asked for), so clients, proxies and
 * load balancers that never read the body still back off and retry. A response that also carries
 * another error keeps its status: that error is the client's to read.
 */
export function overloadStatus(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          if (!errors?.length || !errors.every((e) => e.extensions?.code === 'SERVICE_OVERLOADED')) return;
          const seconds = Math.max(1, ...errors.map((e) => Number(e.extensions?.retryAfter)).filter((n) => Number.isFinite(n)));
          response.http.status = 503;
          response.http.headers.set('retry-after', String(Math.ceil(seconds)));
        },
      };
    },
  };
}

/** Reads the response once every hook before it has shaped it; the code is in the closed set, so it declares it only. */
export const overloadStatusPlugin = definePlugin({
  name: 'overload-status',
  description: 'GraphQL: a response whose every error is `SERVICE_OVERLOADED` answers HTTP 503 with Retry-After; last, once the plugins before it have shaped the response. Always on.',
  codes: ['SERVICE_OVERLOADED'],
  stream: false,
  create: () => ({ name: 'overload-status', apollo: overloadStatus() }),
});
