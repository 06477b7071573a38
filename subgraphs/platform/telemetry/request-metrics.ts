import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry } from 'prom-client';
import { boundedLabel, clientOperationName } from './labels.ts';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface SubgraphRequestMetrics {
  plugin: ApolloServerPlugin;
  /** The Prometheus text of this subgraph's request metrics. */
  text(): Promise<string>;
}

/**
 * A subgraph's own view of the requests it serves: duration by operation (the client's name,
 * recovered from the gateway's fetch name) and client, and errors by code. The gateway measures
 * the same requests from the outside (graphql_subgraph_fetch_duration_seconds); the difference
 * is the network and queueing between them.
 */
export function subgraphRequestMetrics(subgraph: string, options: { maxLabelValues?: number } = {}): SubgraphRequestMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ subgraph });
  const registers = [registry];
  const duration = new Histogram({
    name: 'graphql_subgraph_request_duration_seconds',
    help: 'GraphQL requests a subgraph served, from parsed request to response, by operation, operation type and client.',
    labelNames: ['operation_name', 'operation_type', 'client_name'],
    buckets: BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: 'graphql_subgraph_errors_total',
    help: 'Errors in a subgraph’s responses, by code.',
    labelNames: ['code'],
    registers,
  });
  const operationName = boundedLabel(options.maxLabelValues ?? 500);
  const clientName = boundedLabel(options.maxLabelValues ?? 500);

  const plugin: ApolloServerPlugin = {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors: list }) {
          for (const e of list) errors.inc({ code: typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR' });
        },
        async willSendResponse({ operation, operationName: resolved }) {
          duration.observe(
            {
              operation_name: operationName(clientOperationName(resolved ?? request.operationName), 'anonymous'),
              operation_type: operation?.operation ?? 'unknown',
              client_name: clientName(request.http?.headers.get('apollographql-client-name'), 'unknown'),
            },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };
  return { plugin, text: () => registry.metrics() };
}
