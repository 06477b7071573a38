import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.ts';
import { withServerSpan } from '../telemetry/server-span.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServer {
  url: string;
  port: number;
  /**
   * Drains: /health/ready turns 503 and every response asks its client to close the connection;
   * after the drain delay the listener stops and idle sockets close; in-flight requests get the
   * grace period to finish, then the rest are cut.
   */
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
  /** Time between failing readiness and closing the listener, so load balancers stop sending first (SHUTDOWN_DRAIN_DELAY_MS). */
  drainDelayMs?: number;
  /** Names this server's spans (`voidtracker.component`). */
  component?: string;
  /** Takes connections that ask to switch protocol (WebSocket); without it they are refused. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}): Promise<HttpServer> {
  const component = options.component ?? 'http';
  let draining = false;
  // Responses not yet started when the drain begins; they are the ones that can still say `Connection: close`.
  const pending = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (draining) {
      // A keep-alive client would otherwise reuse this socket right as the listener goes away.
      res.setHeader('connection', 'close');
      if (path === '/health/ready') return sendJson(res, 503, { status: 'shutting down' });
    } else {
      pending.add(res);
      res.once('close', () => pending.delete(res));
    }
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
  if (options.upgrade) {
    const upgrade = options.upgrade;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // A long-lived connection opened now would only be cut at the end of the drain: send it elsewhere.
      if (draining) return void socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      upgrade(req, socket, head);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const drainDelayMs = options.drainDelayMs ?? 0;
  let closed: Promise<void> = Promise.resolve();
  return {
    port,
    url: `http://${options.host}:${port}`,
    close: async () => {
      if (draining) return closed;
      draining = true;
      for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close');
      pending.clear();
      closed = (async () => {
        if (drainDelayMs > 0) await new Promise((r) => setTimeout(r, drainDelayMs));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => server.closeAllConnections(), options.graceMs);
          server.close(() => {
            clearTimeout(timer);
            resolve();
          });
          server.closeIdleConnections();
        });
      })();
      return closed;
    },
  };
}
