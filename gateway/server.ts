import { randomUUID } from 'node:crypto';
import { graphqlHandler } from '../subgraphs/kernel/http/graphql-handler.ts';
import { healthRoutes, sendJson, startHttpServer, type Handler } from '../subgraphs/kernel/http/server.ts';
import { loadConfig, type Config } from '../subgraphs/kernel/config.ts';
import { createLogger, type Logger } from '../subgraphs/kernel/logger.ts';
import { isEntryPoint, onShutdown } from '../subgraphs/kernel/main.ts';
import { startTracing } from '../subgraphs/kernel/telemetry/tracing.ts';
import type { GatewayContext } from './context.ts';
import { createEdge } from './edge.ts';
import { createGateway } from './gateway.ts';

export interface RunningGateway {
  url: string;
  graphqlUrl: string;
  close(): Promise<void>;
}

/** Ready when every subgraph it routes to says it is ready. */
async function subgraphsReady(urls: ReadonlyMap<string, string>) {
  const results = await Promise.all(
    [...urls].map(async ([name, url]) => {
      const health = new URL('/health/ready', url);
      const res = await fetch(health, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      return [name, res?.ok ? 'ready' : 'not ready'] as const;
    }),
  );
  const down = results.filter(([, s]) => s !== 'ready').map(([n]) => n);
  if (down.length) throw new Error(`subgraphs not ready: ${down.join(', ')}`);
  return { subgraphs: Object.fromEntries(results) };
}

export async function startGateway(
  config: Config,
  logger: Logger,
  options: { urls?: Record<string, string>; port?: number } = {},
): Promise<RunningGateway> {
  const edge = createEdge(config, logger, options.urls);
  const { server: apollo, routes, closeSources } = await createGateway(config, {
    urls: options.urls ?? { ...config.urls },
    plugins: edge.plugins,
    logger,
    ...(edge.metrics ? { onSubgraphFetch: edge.metrics.subgraphFetch, onSharedRead: edge.metrics.sharedRead } : {}),
  }).catch(async (error: unknown) => {
    await edge.close();
    throw error;
  });
  const context = async (req: import('node:http').IncomingMessage): Promise<GatewayContext> => ({
    requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
    authorization: req.headers.authorization,
    traceparent: req.headers.traceparent as string | undefined,
    ...Object.assign({}, ...edge.plugins.map((p) => p.context?.(req) ?? {})),
  });
  const handler = graphqlHandler(apollo, context, {
    maxBodyBytes: config.gateway.maxBodyBytes,
    timeoutMs: config.gateway.requestTimeoutMs,
  });
  // The first plugin's wrapper runs first.
  const graphql = edge.plugins.reduceRight<Handler>((next, p) => (p.http ? p.http(next) : next), handler);
  const http = await startHttpServer({
    host: config.host,
    port: options.port ?? config.gateway.port,
    logger,
    graceMs: config.shutdownGraceMs,
    drainDelayMs: config.shutdownDrainDelayMs,
    component: 'gateway',
    routes: {
      ...healthRoutes(() => subgraphsReady(routes)),
      ...Object.assign({}, ...edge.plugins.map((p) => p.routes ?? {})),
      '/graphql': graphql,
      // Sandbox on the landing page; it posts its operations back to where it was loaded.
      '/': graphql,
    },
    fallback: (_req, res) => sendJson(res, 404, { error: 'not found' }),
  });
  return {
    url: http.url,
    graphqlUrl: `${http.url}/graphql`,
    close: async () => {
      await http.close();
      await apollo.stop();
      await closeSources();
      await edge.close();
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { service: 'gateway' });
  const tracing = startTracing(config, { serviceName: 'gateway' });
  startGateway(config, logger).then(
    (gw) => {
      logger.info('gateway listening', { url: gw.graphqlUrl });
      onShutdown(async () => {
        await gw.close();
        await tracing?.shutdown();
      });
    },
    (error: unknown) => {
      logger.error('failed to start', { error: (error as Error).stack });
      process.exit(1);
    },
  );
}
