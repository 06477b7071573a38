import { graphqlHandler } from '../subgraphs/kernel/http/graphql-handler.ts';
import { healthRoutes, sendJson, startHttpServer, type Handler } from '../subgraphs/kernel/http/server.ts';
import { loadConfig, type Config } from '../subgraphs/kernel/config.ts';
import { createLogger, type Logger } from '../subgraphs/kernel/logger.ts';
import { isEntryPoint } from '../subgraphs/kernel/entry-point.ts';
import { onShutdown } from '../subgraphs/kernel/main.ts';
import { startTracing } from '../subgraphs/kernel/telemetry/tracing.ts';
import type { GatewayContext } from './context.ts';
import { createEdge } from './edge.ts';
import { createGateway } from './gateway.ts';
import { requestIdOf } from '../subgraphs/kernel/context.ts';
import { createEventTransport } from '../subgraphs/kernel/events/runtime.ts';
import type { EventTransport } from '../subgraphs/kernel/events/transport.ts';
import { startLiveSubscriptions, STREAM_PATH, type LiveSubscriptions } from './subscriptions/plugin.ts';
import { refuseSubscriptionsOverHttp } from './subscriptions/validation.ts';
import { LIVE_CODES } from './subscriptions/errors.ts';
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
  const edge = createEdge(config, logger, options.urls);
  const { server: apollo, routes, closeSources, apiSchema } = await createGateway(config, {
    validationRules: [refuseSubscriptionsOverHttp(STREAM_PATH)],
    urls: options.urls ?? { ...config.urls },
    plugins: edge.plugins,
    logger,
    ...(edge.metrics ? { onSubgraphFetch: edge.metrics.subgraphFetch, onSharedRead: edge.metrics.sharedRead } : {}),
  }).catch(async (error: unknown) => {
    await edge.close();
    throw error;
  });
  const context = async (req: import('node:http').IncomingMessage): Promise<GatewayContext> => ({
    requestId: requestIdOf(req.headers['x-request-id']),
    authorization: req.headers.authorization,
    traceparent: req.headers.traceparent as string | undefined,
    ...Object.assign({}, ...edge.plugins.map((p) => p.context?.(req) ?? {})),
  });
  const inspectors = edge.plugins.flatMap((p) => (p.inspect ? [p.inspect.bind(p)] : []));
  const handler = graphqlHandler(apollo, context, {
    maxBodyBytes: config.gateway.maxBodyBytes,
    timeoutMs: config.gateway.requestTimeoutMs,
    inspect: (request) => inspectors.reduce<ReturnType<(typeof inspectors)[number]>>((found, inspect) => found ?? inspect(request), undefined),
  });
  // The first plugin's wrapper runs first.
  const graphql = edge.plugins.reduceRight<Handler>((next, p) => (p.http ? p.http(next) : next), handler);
  const live = await startLive(config, logger, apollo, apiSchema, edge, options.transport).catch(async (error: unknown) => {
    await apollo.stop();
    await closeSources();
    await edge.close();
    throw error;
  });
  // Browsers reach the stream cross-origin like /graphql (the same CORS rules), and opening a
  // subscription draws on the client's rate-limit bucket like a request. Partner keys are not
  // exchanged here: the stream refuses them itself.
  const streamEdge = edge.plugins.filter((p) => p.name === 'cors' || p.name === 'rate-limit');
  const wrapStream = (h: Handler) => streamEdge.reduceRight<Handler>((next, p) => (p.http ? p.http(next) : next), h);
  const liveRoutes = Object.fromEntries(
    Object.entries(live?.subscriptions.routes ?? { [STREAM_PATH]: subscriptionsOff }).map(([path, h]) => [path, wrapStream(h)]),
  );
  const webApp = webAppHandler(config.gateway.webAppDir);
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
      ...liveRoutes,
      '/graphql': graphql,
      // Sandbox on the landing page; it posts its operations back to where it was loaded.
      '/': graphql,
    },
    // The web app's paths are a prefix (/app/...), not one route each.
    fallback: async (req, res) => {
      if (!(await webApp(req, res))) sendJson(res, 404, { error: 'not found' });
    },
    ...(live ? { upgrade: live.subscriptions.upgrade } : {}),
  });
  return {
    url: http.url,
    graphqlUrl: `${http.url}/graphql`,
    close: async () => {
      // Live streams first: open ones would hold the HTTP server's close for the whole grace period.
      await live?.close();
      await http.close();
      await apollo.stop();
      await closeSources();
      await edge.close();
    },
  };
}

/** The stream route while subscriptions are off: a clear refusal rather than a bare 404. */
const subscriptionsOff: Handler = (_req, res) =>
  sendJson(res, LIVE_CODES.disabled.status, {
    errors: [{ message: 'Subscriptions are turned off on this gateway (GATEWAY_SUBSCRIPTIONS, or no Kafka for a gateway of its own).', extensions: { code: LIVE_CODES.disabled.code } }],
  });

/**
 * Subscriptions, when on and fed: the embedded graph hands its transport over; a gateway of its
 * own process joins Kafka itself (the bus of another process cannot reach it).
 */
async function startLive(
  config: Config,
  logger: Logger,
  apollo: Parameters<typeof startLiveSubscriptions>[0]['apollo'],
  apiSchema: () => import('graphql').GraphQLSchema,
  edge: ReturnType<typeof createEdge>,
  shared: EventTransport | undefined,
): Promise<{ subscriptions: LiveSubscriptions; close(): Promise<void> } | undefined> {
  if (!config.gateway.subscriptions.enabled) return undefined;
  if (!shared && config.events.transport !== 'kafka') {
    logger.warn('subscriptions off: a gateway in its own process needs Kafka (KAFKA_BROKERS) to hear domain events');
    return undefined;
  }
  const own = shared ? undefined : await createEventTransport(config, logger, 'gateway');
  try {
    const subscriptions = await startLiveSubscriptions({
      config,
      apollo,
      apiSchema,
      transport: (shared ?? own)!,
      logger,
      rateLimit: edge.rateLimit,
      trusted: edge.trustedDocument,
      ...(edge.metrics ? { registry: edge.metrics.registry } : {}),
    });
    return {
      subscriptions,
      close: async () => {
        await subscriptions.close();
        await own?.close();
      },
    };
  } catch (error) {
    await own?.close();
    throw error;
  }
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
