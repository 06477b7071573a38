import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { parseSlice, type Config } from '../subgraphs/platform/config.ts';
import { requestIdOf } from '../subgraphs/kernel/context.ts';
import { ERROR_CODES } from '../subgraphs/platform/errors.ts';
import type { EventTransport } from '../subgraphs/platform/events/transport.ts';
import type { Handler } from '../subgraphs/platform/http/server.ts';
import { internalErrors } from '../subgraphs/platform/internal-errors.ts';
import type { Logger } from '../subgraphs/platform/logger.ts';
import type { GatewayContext } from './context.ts';
import { credentialsOf, forwardedAuthorization } from './credentials.ts';
import { SUBGRAPH_CODES } from './data-source.ts';
import { createEdgeServices } from './edge.ts';
import { writesEndSharing, type InflightReads } from './inflight.ts';
import { overloadStatusPlugin } from './overload-status.ts';
import { corsPlugin } from './plugins/cors.ts';
import { loginLimitPlugin } from './plugins/login-limit.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { operationLimitsPlugin } from './plugins/operation-limits.ts';
import { partnerKeysPlugin } from './plugins/partner-keys.ts';
import { partnerSafelistPlugin } from './plugins/partner-safelist.ts';
import { persistedQueriesPlugin } from './plugins/persisted-queries.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { requestIdPlugin } from './plugins/request-id.ts';
import type { AnyPluginDefinition, EdgeServices, GatewayPlugin, StartedGraph } from './plugins/types.ts';
import { subscriptionsPlugin } from './subscriptions/plugin.ts';
import { valueCompletionErrors } from './value-completion.ts';

/*
 * A request's way through the gateway, in order (docs/gateway.md draws it):
 *
 * 1. HTTP. Credentials are parsed once from the headers (gateway/credentials.ts); every stage after
 *    reads them. Each plugin's HTTP part wraps the GraphQL endpoint, the first listed outermost, so
 *    it runs first. Then the endpoint reads the body (size, timeout) and lets the plugins inspect
 *    the operations before Apollo parses anything.
 * 2. GraphQL. Apollo parses, validates (with the plugins' validation rules), plans and executes; it
 *    runs the plugins' hooks in the order listed here, then GRAPHQL_STAGE's.
 * 3. Subgraph fetch. Each fetch of the query plan goes through gateway/data-source.ts: the
 *    credentials' Authorization forwarded, identical in-flight reads shared, a timeout, metrics.
 */

/** The plugins in the order a request meets them. Adding one: its file (a definePlugin, with its codes and settings) and a line here. */
export const PLUGINS: readonly AnyPluginDefinition[] = [
  corsPlugin,
  requestIdPlugin,
  metricsPlugin,
  partnerKeysPlugin,
  rateLimitPlugin,
  loginLimitPlugin,
  operationLimitsPlugin,
  partnerSafelistPlugin,
  persistedQueriesPlugin,
  subscriptionsPlugin,
  overloadStatusPlugin,
];

/** Apollo plugins of the GraphQL stage itself, after the listed plugins' hooks, in this order. */
export function graphqlStage(options: { reads: InflightReads<GatewayGraphQLResponse> | undefined; production: boolean; logger: Logger }): ApolloServerPlugin<GatewayContext>[] {
  const { reads, production, logger } = options;
  return [
    ...(reads ? [writesEndSharing(reads)] : []),
    internalErrors<GatewayContext>({ production, logger }),
    valueCompletionErrors(logger),
    production ? ApolloServerPluginLandingPageProductionDefault({ footer: false }) : ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }),
  ];
}

/** Codes the gateway's own stages answer with beyond the closed set: they reach clients as they are, even in production. */
export function edgeCodes(definitions: readonly AnyPluginDefinition[] = PLUGINS): ReadonlySet<string> {
  const closed = new Set<string>(ERROR_CODES);
  return new Set([...definitions.flatMap((d) => d.codes), ...Object.values(SUBGRAPH_CODES)].filter((code) => !closed.has(code)));
}

export interface Pipeline {
  services: EdgeServices;
  /** The running plugins, in PLUGINS order (those the configuration turns off are absent). */
  plugins: GatewayPlugin[];
  codes: ReadonlySet<string>;
  /** Wraps the GraphQL endpoint in every plugin's HTTP part. */
  http(endpoint: Handler): Handler;
  /** Wraps a stream route in the HTTP parts of the plugins marked `stream`. */
  stream(route: Handler): Handler;
  /** The request's GraphQL context: its credentials as the subgraphs get them, and what the plugins add. */
  context(req: IncomingMessage): GatewayContext;
  /** The plugins' looks at the operations before Apollo parses them; the first answer refuses the request. */
  inspect(request: { method: string; body: unknown; search: URLSearchParams }): { status: number; body: unknown } | undefined;
  /** Routes of the plugins: their own, and their stream routes (wrapped). */
  routes(): Record<string, Handler>;
  start(graph: StartedGraph): Promise<void>;
  upgrade(): ReturnType<NonNullable<GatewayPlugin['upgrade']>>;
  /** Before the HTTP server closes. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export function createPipeline(
  config: Config,
  logger: Logger,
  options: { urls?: Record<string, string> | undefined; transport?: EventTransport | undefined } = {},
  definitions: readonly AnyPluginDefinition[] = PLUGINS,
): Pipeline {
  // Every plugin's own settings first: a bad value stops the start before anything opens.
  const settings = definitions.map((d) => (d.config ? parseSlice(d.config, config.environment) : undefined));
  const services = createEdgeServices(config, logger, options);
  const running = definitions.map((d, i) => ({ definition: d, plugin: d.create(services, settings[i]) }));
  const plugins = running.flatMap((r) => (r.plugin ? [r.plugin] : []));
  const streamPlugins = running.flatMap((r) => (r.plugin && r.definition.stream ? [r.plugin] : []));
  const wrap = (list: GatewayPlugin[], handler: Handler) => list.reduceRight<Handler>((next, p) => (p.http ? p.http(next) : next), handler);
  const inspectors = plugins.flatMap((p) => (p.inspect ? [p.inspect.bind(p)] : []));
  return {
    services,
    plugins,
    codes: edgeCodes(definitions),
    http: (endpoint) => wrap(plugins, endpoint),
    stream: (route) => wrap(streamPlugins, route),
    context: (req) => {
      const credentials = credentialsOf(req);
      const client = req.headers['apollographql-client-name'];
      return {
        requestId: requestIdOf(req.headers['x-request-id']),
        authorization: forwardedAuthorization(credentials),
        clientName: credentials.partner?.clientName ?? (typeof client === 'string' ? client : undefined),
        traceparent: req.headers.traceparent as string | undefined,
        ...Object.assign({}, ...plugins.map((p) => p.context?.(req) ?? {})),
      };
    },
    inspect: (request) => inspectors.reduce<ReturnType<(typeof inspectors)[number]>>((found, inspect) => found ?? inspect(request), undefined),
    routes: () =>
      Object.assign(
        {},
        ...plugins.map((p) => p.routes ?? {}),
        ...plugins.map((p) => Object.fromEntries(Object.entries(p.streamRoutes ?? {}).map(([path, h]) => [path, wrap(streamPlugins, h)]))),
      ),
    start: async (graph) => {
      for (const p of plugins) await p.start?.(graph);
    },
    upgrade: () => plugins.map((p) => p.upgrade?.()).find((u) => u !== undefined),
    stop: async () => {
      for (const p of plugins) await p.stop?.();
    },
    close: async () => {
      for (const p of plugins) await p.close?.();
      await services.close();
    },
  };
}
