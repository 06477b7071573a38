import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../subgraphs/platform/config.ts';
import { formatError } from '../subgraphs/platform/errors.ts';
import type { Logger } from '../subgraphs/platform/logger.ts';
import type { GatewayContext } from './context.ts';
import { ForwardingDataSource } from './data-source.ts';
import { InflightReads } from './inflight.ts';
import { NodeDataSource } from './node/data-source.ts';
import { NODE_SUBGRAPH } from './node/node-sdl.ts';
import { PREFLIGHT_FORCING_HEADERS } from './plugins/cors.ts';
import { graphqlStage, type Pipeline } from './pipeline.ts';
import { liveValidationCode } from './subscriptions/validation.ts';
import { supergraphFromFile, type SupergraphFileOptions } from './supergraph-source.ts';

export interface GatewayOptions {
  /** Subgraph name → GraphQL URL; overrides the supergraph's routing URLs. */
  urls: Record<string, string>;
  /** The pipeline's plugins (their Apollo hooks, server options and validation rules; their HTTP parts are server.ts's) and codes. */
  pipeline: Pick<Pipeline, 'plugins' | 'codes'>;
  onSubgraphFetch?(subgraph: string, seconds: number, ok: boolean): void;
  /** A subgraph read was answered by an identical one in flight (gateway/inflight.ts). */
  onSharedRead?(subgraph: string): void;
  logger: Logger;
  onSupergraphReload?: SupergraphFileOptions['onReload'];
}

/** The HTTP status a request-pipeline error asks for, when it is a 4xx. */
function clientStatus(error: unknown): boolean {
  const status = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Apollo Server over the committed supergraph, routing each subgraph to its configured URL.
 * Also returns where each subgraph of the supergraph is reached, for the readiness check.
 */
export async function createGateway(config: Config, options: GatewayOptions) {
  const routes = new Map<string, string>();
  const sources: ForwardingDataSource[] = [];
  const reads = config.gateway.shareInflightReads ? new InflightReads<GatewayGraphQLResponse>() : undefined;
  // The subgraphs' current data sources by name: node(id:) asks the owners of an id through them.
  const byName = new Map<string, ForwardingDataSource>();
  const node = new NodeDataSource((name) => byName.get(name));
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile({
      path: config.gateway.supergraphPath,
      pollMs: config.gateway.supergraphPollMs,
      logger: options.logger,
      ...(options.onSupergraphReload ? { onReload: options.onSupergraphReload } : {}),
    }),
    buildService: ({ name, url }) => {
      // Runs in this process: no URL, so no route for the readiness check to call either.
      if (name === NODE_SUBGRAPH) return node;
      const target = options.urls[name] ?? url!;
      routes.set(name, target);
      const onFetch = options.onSubgraphFetch;
      const source = new ForwardingDataSource({
        name,
        url: target,
        timeoutMs: config.gateway.subgraphTimeoutMs,
        ...(reads ? { reads } : {}),
        ...(options.onSharedRead ? { onShared: () => options.onSharedRead!(name) } : {}),
        logger: options.logger,
        ...(onFetch ? { onFetch: (s: number, ok: boolean) => onFetch(name, s, ok) } : {}),
      });
      sources.push(source);
      byName.set(name, source);
      return source;
    },
  });
  // The API schema as loaded (and reloaded), for what is served beside Apollo (subscriptions).
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded, coreSupergraphSdl }) => {
    node.load(coreSupergraphSdl);
    apiSchema = loaded;
  });
  const schema = () => {
    if (!apiSchema) throw new Error('the supergraph is not loaded yet');
    return apiSchema;
  };
  const production = config.env === 'production';
  const { plugins, codes: edgeCodes } = options.pipeline;
  const validationRules = plugins.flatMap((p) => p.validationRules ?? []);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    // No "Did you mean …?" in production: suggestions would reveal the schema introspection hides.
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // The process drains itself (kernel/main.ts onShutdown): Apollo's own handler would re-raise the
    // signal after stopping only itself, killing the process before the databases close.
    stopOnTerminationSignals: false,
    // A GET or form POST is refused unless it carries a header that forces a preflight; credentials
    // in Authorization or x-api-key count, so a partner's GET by id needs nothing more.
    csrfPrevention: { requestHeaders: PREFLIGHT_FORCING_HEADERS },
    allowBatchedHttpRequests: config.gateway.allowBatching,
    ...(validationRules.length ? { validationRules } : {}),
    ...Object.assign({}, ...plugins.map((p) => p.serverOptions ?? {})),
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      if (typeof code === 'string' && edgeCodes.has(code)) return formatted;
      const live = liveValidationCode(error);
      if (live) return { ...formatted, extensions: { ...formatted.extensions, code: live } };
      // Apollo refuses some malformed requests (a persisted query whose hash does not match, an
      // unknown APQ version) with a 400 and no code of their own (Apollo then says INTERNAL_SERVER_ERROR):
      // they are the client's mistake, not ours.
      if ((code === undefined || code === 'INTERNAL_SERVER_ERROR') && clientStatus(error)) return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
      const normalised = formatError(formatted, { production });
      // Which part of the graph failed stays visible even when the error itself is masked.
      const serviceName = formatted.extensions?.serviceName;
      return typeof serviceName === 'string' ? { ...normalised, extensions: { ...normalised.extensions, serviceName } } : normalised;
    },
    // The GraphQL stage (gateway/pipeline.ts): the plugins' hooks in pipeline order, then its own.
    plugins: [...plugins.flatMap((p) => (p.apollo ? [p.apollo] : [])), ...graphqlStage({ reads, production, logger: options.logger })],
  });
  await server.start();
  // Each data source pools its connections; a reloaded supergraph builds new ones beside the old.
  const closeSources = () => Promise.all(sources.map((s) => s.close())).then(() => {});
  return { server, routes, closeSources, apiSchema: schema };
}
