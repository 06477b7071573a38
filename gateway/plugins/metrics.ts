import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';
import { guardMetrics } from '../../subgraphs/kernel/http/metrics-access.ts';
import type { Handler } from '../../subgraphs/platform/http/server.ts';
import { definePlugin, type GatewayPlugin } from './types.ts';
import type { GatewayMetrics } from '../metrics-registry.ts';

/** Times every GraphQL request and counts the errors in its response; serves the registry at its path. */
export function useMetrics(metrics: GatewayMetrics, guard: (handler: Handler) => Handler = (h) => h): GatewayPlugin {
  const { registry } = metrics;

  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request, contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors: list }) {
          for (const e of list) metrics.error(typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR');
        },
        async willSendResponse({ operationName: resolved }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.request(resolved ?? request.operationName, contextValue.clientName, seconds);
        },
      };
    },
  };

  return {
    name: 'metrics',
    apollo,
    routes: {
      [metrics.path]: guard(async (_req, res) => {
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(body);
      }),
    },
  };
}

/** Off with GATEWAY_METRICS=false; /metrics answers as the exposure settings say (kernel/http/metrics-access.ts). */
export const metricsPlugin = definePlugin({
  name: 'metrics',
  description: 'GraphQL and `/metrics`: times every request, counts the errors of its response, serves the Prometheus registry. On with `GATEWAY_METRICS`.',
  codes: [],
  stream: false,
  create: ({ config, metrics }) => (metrics ? useMetrics(metrics, (handler) => guardMetrics(handler, config.exposure)) : undefined),
});
