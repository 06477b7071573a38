import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { boundedLabel } from '../subgraphs/platform/telemetry/labels.ts';

/*
 * The gateway's Prometheus registry and counters, made once per gateway (edge.ts); every stage counts
 * into it. The metrics plugin (plugins/metrics.ts) times requests and serves it.
 */

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
  // The event-loop lag histogram samples on a timer; prom-client's 10 ms default wakes an idle gateway
  // a hundred times a second, and 100 ms still resolves the lags worth alerting on.
  if (o.processMetrics) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
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

