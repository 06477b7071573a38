import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { Client } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { healthRoutes, sendJson, startHttpServer, type HttpServer } from './server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server whose /slow answers after `ms` query milliseconds and whose readiness always passes. */
function start(options: { graceMs?: number; drainDelayMs?: number; upgrade?: (req: unknown, socket: Duplex) => void } = {}) {
  return startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('silent'),
    graceMs: options.graceMs ?? 5_000,
    ...(options.drainDelayMs !== undefined ? { drainDelayMs: options.drainDelayMs } : {}),
    ...(options.upgrade ? { upgrade: options.upgrade } : {}),
    routes: {
      ...healthRoutes(async () => ({})),
      '/slow': async (req, res) => {
        await sleep(Number(new URL(req.url!, 'http://x').searchParams.get('ms')));
        sendJson(res, 200, { done: true });
      },
    },
    fallback: (_req, res) => sendJson(res, 404, { error: 'not found' }),
  });
}

/** The error code of a failed request, or the status and headers of an answered one. */
async function get(client: Client, path: string) {
  try {
    const res = await client.request({ method: 'GET', path });
    return { status: res.statusCode, connection: res.headers.connection, body: await res.body.json() };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

/** Asks `url` to switch to WebSocket: the status it answers (101 when the upgrade handler took it). */
function upgradeStatus(url: string) {
  return new Promise<number>((resolve, reject) => {
    const req = request(`${url}/graphql`, { headers: { connection: 'Upgrade', upgrade: 'websocket' } });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode!);
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('kernel HTTP server drain', () => {
  const clients: Client[] = [];
  let server: HttpServer | undefined;
  const client = (url: string) => {
    const c = new Client(url, { pipelining: 1 });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    await server?.close();
  });

  it('lets a slow in-flight request finish, tells its client to close, then refuses new connections', async () => {
    server = await start();
    const slow = get(client(server.url), '/slow?ms=600');
    await sleep(150);
    const closing = server.close();
    const fresh = client(server.url);
    expect(await get(fresh, '/health/live')).toEqual({ error: 'ECONNREFUSED' });
    expect(await slow).toEqual({ status: 200, connection: 'close', body: { done: true } });
    await closing;
  });

  it('fails readiness and answers keep-alive requests with Connection: close during the drain delay', async () => {
    server = await start({ drainDelayMs: 600 });
    const kept = client(server.url);
    expect(await get(kept, '/health/ready')).toMatchObject({ status: 200, connection: 'keep-alive' });
    const started = Date.now();
    const closing = server.close().then(() => Date.now() - started);
    expect(await get(kept, '/health/ready')).toEqual({ status: 503, connection: 'close', body: { status: 'shutting down' } });
    // Still listening: a request arriving before the load balancer noticed is served, not dropped.
    expect(await get(client(server.url), '/health/live')).toEqual({ status: 200, connection: 'close', body: { status: 'ok' } });
    expect(await closing).toBeGreaterThanOrEqual(550);
    expect(await get(client(server.url), '/health/live')).toEqual({ error: 'ECONNREFUSED' });
  });

  it('cuts a request that outlasts the grace period', async () => {
    server = await start({ graceMs: 200 });
    const stuck = get(client(server.url), '/slow?ms=3000');
    await sleep(100);
    await server.close();
    // Cut, not waited for: a request allowed to finish would have answered 200.
    expect(await stuck).toMatchObject({ error: expect.stringMatching(/^UND_ERR_SOCKET$/) });
  });

  it('closes idle keep-alive sockets at once when there is no drain delay', async () => {
    server = await start();
    // The client would keep its socket for ten minutes, so only the server can have closed it.
    const idle = new Client(server.url, { pipelining: 1, keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000 });
    clients.push(idle);
    const disconnected = new Promise<string>((resolve) =>
      idle.once('disconnect', (_origin, _targets, error) => resolve((error as { code?: string }).code ?? String(error))),
    );
    expect(await get(idle, '/health/live')).toMatchObject({ status: 200 });
    // Without closing idle sockets, close() would wait for the 65 s keep-alive timeout (past the test's own).
    await server.close();
    expect(await disconnected).toBe('UND_ERR_SOCKET');
  });

  it('turns WebSocket upgrades away while draining, so long-lived connections open on another instance', async () => {
    const upgraded: Duplex[] = [];
    server = await start({
      drainDelayMs: 400,
      upgrade: (_req, socket) => {
        upgraded.push(socket);
        socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
      },
    });
    expect(await upgradeStatus(server.url)).toBe(101);
    const closing = server.close();
    expect(await upgradeStatus(server.url)).toBe(503);
    expect(upgraded).toHaveLength(1);
    await closing;
  });
});
