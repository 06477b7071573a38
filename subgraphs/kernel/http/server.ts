import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.ts';
import { withServerSpan } from '../telemetry/server-span.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish within the grace period, then cuts the rest. */
  close(): Promise<void>;
}

export const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

export type ReadinessCheck = () => Promise<Record<string, unknown>>;

/** `/health/live` answers while the process runs; `/health/ready` only when every check passes. */
export function healthRoutes(check: ReadinessCheck): Record<string, Handler> {
  return {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/health/ready': async (_req, res) => {
      try {
        sendJson(res, 200, { status: 'ready', ...(await check()) });
      } catch (error) {
        sendJson(res, 503, { status: 'not ready', reason: (error as Error).message });
      }
    },
  };
}

export async function startHttpServer(options: {
  host: string;
  port: number;
  routes: Record<string, Handler>;
  fallback: Handler;
  logger: Logger;
  graceMs: number;
  /** Names this server's spans (`voidtracker.component`). */
  component?: string;
  /** Takes connections that ask to switch protocol (WebSocket); without it they are refused. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}): Promise<HttpServer> {
  const component = options.component ?? 'http';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const handler = options.routes[path] ?? options.fallback;
    // Probes and scrapes would drown the traces that matter.
    const traced = !path.startsWith('/health') && path !== '/metrics';
    const run = () => handler(req, res);
    Promise.resolve(traced ? withServerSpan(component, req, res, path, run) : run()).catch((error: unknown) => {
      options.logger.error('request failed', { path, error: (error as Error).stack });
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  if (options.upgrade) server.on('upgrade', options.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), options.graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
