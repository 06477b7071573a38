import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { boundedLabel } from '../../subgraphs/kernel/telemetry/labels.ts';
import type { GatewayContext } from '../context.ts';
import { guardMetrics } from '../../subgraphs/kernel/http/metrics-access.ts';
import type { Handler } from '../../subgraphs/kernel/http/server.ts';
import { definePlugin, type GatewayPlugin } from './types.ts';

export interface MetricsOptions {
  /** Default: a registry of its own, so several gateways in one process (tests) do not collide. */
  registry?: Registry;
  /** Process metrics (CPU, memory, event loop lag) too. Default true. */
  processMetrics?: boolean;
  /** Distinct operation and client names kept as labels; later ones are counted as "other". */
  maxLabelValues?: number;
  path?: string;
}

export const METRICS_DEFAULTS = { processMetrics: true, maxLabelValues: 500, path: '/metrics' } as const;

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface GatewayMetrics {
  registry: Registry;
  subgraphFetch(subgraph: string, seconds: number, ok: boolean): void;
  sharedRead(subgraph: string): void;
  rateLimited(options?: { countError?: boolean }): void;
  persistedQuery(result: 'hit' | 'miss' | 'register'): void;
  error(code: string): void;
  /** A GraphQL request answered, by operation and client (names past maxLabelValues count as "other"). */
  request(operation: string | null | undefined, client: string | null | undefined, seconds: number): void;
  /** Where the registry is served. */
  path: string;
}

/** The gateway's Prometheus metrics, which every stage (and the subgraph fetches) counts into. */
export function createGatewayMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const o = { ...METRICS_DEFAULTS, ...options };
  const registry = o.registry ?? new Registry();
  if (o.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL requests through the gateway, from receipt to response, by operation and client.',
    labelNames: ['operation_name', 'client_name'],
    buckets: BUCKETS,
    registers,
  });
  const fetches = new Histogram({
    name: 'graphql_subgraph_fetch_duration_seconds',
    help: 'Fetches from the gateway to a subgraph, by subgraph and outcome.',
    labelNames: ['subgraph', 'outcome'],
    buckets: BUCKETS,
    registers,
  });
  const shared = new Counter({
    name: 'graphql_subgraph_reads_shared_total',
    help: 'Subgraph reads answered by an identical read already in flight, by subgraph.',
    labelNames: ['subgraph'],
    registers,
  });
  const errors = new Counter({ name: 'graphql_errors_total', help: 'Errors in responses, by code.', labelNames: ['code'], registers });
  const rejected = new Counter({ name: 'graphql_rate_limited_total', help: 'Requests refused by the rate limiter.', registers });
  const persisted = new Counter({
    name: 'graphql_persisted_queries_total',
    help: 'Automatic persisted query lookups: hit, miss (PERSISTED_QUERY_NOT_FOUND) and register.',
    labelNames: ['result'],
    registers,
  });
  const operationName = boundedLabel(o.maxLabelValues);
  const clientName = boundedLabel(o.maxLabelValues);

  const metrics: GatewayMetrics = {
    registry,
    subgraphFetch: (subgraph, seconds, ok) => fetches.observe({ subgraph, outcome: ok ? 'ok' : 'error' }, seconds),
    sharedRead: (subgraph) => shared.inc({ subgraph }),
    rateLimited: ({ countError = true } = {}) => {
      rejected.inc();
      if (countError) errors.inc({ code: 'RATE_LIMITED' });
    },
    persistedQuery: (result) => persisted.inc({ result }),
    error: (code) => errors.inc({ code }),
    request: (operation, client, seconds) =>
      requests.observe({ operation_name: operationName(operation, 'anonymous'), client_name: clientName(client, 'unknown') }, seconds),
    path: o.path,
  };
  return metrics;
}

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
  codes: [],
  stream: false,
  create: ({ config, metrics }) => (metrics ? useMetrics(metrics, (handler) => guardMetrics(handler, config.exposure)) : undefined),
});
