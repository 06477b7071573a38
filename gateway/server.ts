import { randomUUID } from 'node:crypto';
import { graphqlHandler } from '../subgraphs/kernel/http/graphql-handler.ts';
import { healthRoutes, sendJson, startHttpServer } from '../subgraphs/kernel/http/server.ts';
import { loadConfig, type Config } from '../subgraphs/kernel/config.ts';
import { createLogger, type Logger } from '../subgraphs/kernel/logger.ts';
import { isEntryPoint, onShutdown } from '../subgraphs/kernel/main.ts';
import type { GatewayContext } from './context.ts';
import { createGateway } from './gateway.ts';

export interface RunningGateway {
  url: string;
  graphqlUrl: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

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
  const { server: apollo, routes } = await createGateway(config, { urls: options.urls ?? { ...config.urls } });
  const context = async (req: import('node:http').IncomingMessage): Promise<GatewayContext> => ({
    requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
    authorization: req.headers.authorization,
    traceparent: req.headers.traceparent as string | undefined,
  });
  const graphql = graphqlHandler(apollo, context, { maxBodyBytes: MAX_BODY_BYTES });
  const http = await startHttpServer({
    host: config.host,
    port: options.port ?? config.gateway.port,
    logger,
    graceMs: config.shutdownGraceMs,
    routes: {
      ...healthRoutes(() => subgraphsReady(routes)),
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
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { service: 'gateway' });
  startGateway(config, logger).then(
    (gw) => {
      logger.info('gateway listening', { url: gw.graphqlUrl });
      onShutdown(gw.close);
    },
    (error: unknown) => {
      logger.error('failed to start', { error: (error as Error).stack });
      process.exit(1);
    },
  );
}
