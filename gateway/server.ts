import { graphqlHandler } from '../subgraphs/kernel/http/graphql-handler.ts';
import { healthRoutes, sendJson, startHttpServer } from '../subgraphs/platform/http/server.ts';
import { loadConfig, type Config } from '../subgraphs/platform/config.ts';
import { createLogger, type Logger } from '../subgraphs/platform/logger.ts';
import { isEntryPoint } from '../subgraphs/platform/entry-point.ts';
import { onShutdown } from '../subgraphs/kernel/main.ts';
import { startTracing } from '../subgraphs/platform/telemetry/tracing.ts';
import { createGateway } from './gateway.ts';
import type { EventTransport } from '../subgraphs/platform/events/transport.ts';
import { createPipeline } from './pipeline.ts';
import { webAppHandler } from './web-app.ts';

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
  options: {
    urls?: Record<string, string>;
    port?: number;
    /** The embedded graph's event transport (the bus only reaches the process it lives in). */
    transport?: EventTransport;
  } = {},
): Promise<RunningGateway> {
  const pipeline = createPipeline(config, logger, { urls: options.urls, transport: options.transport });
  const metrics = pipeline.services.metrics;
  const { server: apollo, routes, closeSources, apiSchema } = await createGateway(config, {
    urls: options.urls ?? { ...config.urls },
    pipeline,
    logger,
    ...(metrics ? { onSubgraphFetch: metrics.subgraphFetch, onSharedRead: metrics.sharedRead } : {}),
  }).catch(async (error: unknown) => {
    await pipeline.close();
    throw error;
  });
  const handler = graphqlHandler(apollo, async (req) => pipeline.context(req), {
    maxBodyBytes: config.gateway.maxBodyBytes,
    timeoutMs: config.gateway.requestTimeoutMs,
    inspect: pipeline.inspect,
  });
  const graphql = pipeline.http(handler);
  await pipeline.start({ apollo, apiSchema }).catch(async (error: unknown) => {
    await apollo.stop();
    await closeSources();
    await pipeline.close();
    throw error;
  });
  const webApp = webAppHandler(config.gateway.webAppDir);
  const upgrade = pipeline.upgrade();
  const http = await startHttpServer({
    host: config.host,
    port: options.port ?? config.gateway.port,
    logger,
    graceMs: config.shutdownGraceMs,
    drainDelayMs: config.shutdownDrainDelayMs,
    component: 'gateway',
    routes: {
      ...healthRoutes(() => subgraphsReady(routes)),
      ...pipeline.routes(),
      '/graphql': graphql,
      // Sandbox on the landing page; it posts its operations back to where it was loaded.
      '/': graphql,
    },
    // The web app's paths are a prefix (/app/...), not one route each.
    fallback: async (req, res) => {
      if (!(await webApp(req, res))) sendJson(res, 404, { error: 'not found' });
    },
    ...(upgrade ? { upgrade } : {}),
  });
  return {
    url: http.url,
    graphqlUrl: `${http.url}/graphql`,
    close: async () => {
      // Live streams first: open ones would hold the HTTP server's close for the whole grace period.
      await pipeline.stop();
      await http.close();
      await apollo.stop();
      await closeSources();
      await pipeline.close();
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
