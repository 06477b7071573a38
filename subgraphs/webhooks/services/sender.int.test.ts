import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Resolver } from './sender.ts';

/** A local server whose answer each test sets; it records what reached it. */
let server: Server;
let base: string;
let port: number;
let hits: string[] = [];
let answer: (res: import('node:http').ServerResponse) => void = (res) => res.end('ok');

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const reset = () => {
  hits = [];
};

describe('webhook sender', () => {
  it('given a 2xx answer, reports success with status, latency and at most 1 KB of the body', async () => {
    reset();
    answer = (res) => res.writeHead(201).end('y'.repeat(10_000));
    const sender = createSender({ timeoutMs: 2_000, blockPrivateNetworks: false });
    const result = await sender.send(`${base}/a`, { 'content-type': 'application/json' }, '{}');
    await sender.close();
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(result.excerpt).toBe('y'.repeat(1024));
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(hits).toEqual(['/a']);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    reset();
    answer = (res) => res.writeHead(302, { location: `${base}/elsewhere` }).end();
    const sender = createSender({ timeoutMs: 2_000, blockPrivateNetworks: false });
    const result = await sender.send(`${base}/b`, {}, '{}');
    await sender.close();
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(hits).toEqual(['/b']);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    reset();
    answer = () => {};
    const sender = createSender({ timeoutMs: 300, blockPrivateNetworks: false });
    const result = await sender.send(`${base}/c`, {}, '{}');
    await sender.close();
    expect(result).toMatchObject({ ok: false, status: null, excerpt: 'timed out after 300 ms' });
    // It waited the timeout out; the excerpt says the timeout, not the never-answering receiver, ended it.
    expect(result.latencyMs).toBeGreaterThanOrEqual(280);
  });

  it('with private networks blocked, sends nothing to a loopback address, named literally or resolved from a name', async () => {
    reset();
    answer = (res) => res.end('ok');
    // A name that resolves to loopback now, whatever it resolved to when it was registered (DNS rebinding).
    const rebinding: Resolver = (hostname, callback) =>
      hostname === 'hooks.partner.test' ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(Object.assign(new Error('unknown'), { code: 'ENOTFOUND' }), []);
    const sender = createSender({ timeoutMs: 1_000, blockPrivateNetworks: true, resolve: rebinding });
    const literal = await sender.send(`${base}/d`, {}, '{}');
    const named = await sender.send(`http://hooks.partner.test:${port}/e`, {}, '{}');
    await sender.close();
    expect(literal).toMatchObject({ ok: false, status: null });
    expect(literal.excerpt).toMatch(/loopback, private or link-local/);
    expect(named).toMatchObject({ ok: false, status: null });
    expect(named.excerpt).toMatch(/resolves to 127\.0\.0\.1/);
    expect(hits).toEqual([]);

    // The same server is reached when private networks are allowed (development), so the refusals above are the guard's.
    const open = createSender({ timeoutMs: 1_000, blockPrivateNetworks: false, resolve: rebinding });
    expect(await open.send(`http://127.0.0.1:${port}/f`, {}, '{}')).toMatchObject({ ok: true, status: 200 });
    await open.close();
    expect(hits).toEqual(['/f']);
  });
});
