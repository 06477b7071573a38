import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppHandler } from './web-app.ts';

describe('the web app at /app', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const get = (path: string, method = 'GET') => fetch(base + path, { method });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-app-'));
    await mkdir(join(dir, 'dist/assets'), { recursive: true });
    await writeFile(join(dir, 'dist/index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(dir, 'dist/assets/index-abc.js'), 'console.log(1)');
    await writeFile(join(dir, 'dist/persisted-query-manifest.json'), '{}');
    await writeFile(join(dir, 'secret.txt'), 'outside the build');
    const built = webAppHandler(join(dir, 'dist'));
    const missing = webAppHandler(join(dir, 'nothing-built'));
    server = createServer((req, res) => {
      const handler = req.url?.startsWith('/unbuilt') ? (r: typeof req, s: typeof res) => missing(Object.assign(r, { url: r.url!.slice('/unbuilt'.length) }), s) : built;
      void handler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end('not the app');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the build’s files, hashed assets cached for good and the page never', async () => {
    const asset = await get('/app/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const manifest = await get('/app/persisted-query-manifest.json');
    expect(manifest.headers.get('content-type')).toBe('application/json');
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers every screen path with index.html, and never a file outside the build', async () => {
    for (const path of ['/app', '/app/', '/app/board', '/app/track/123', '/app/..%2fsecret.txt', '/app/assets/..%2f..%2fsecret.txt']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<title>app</title>');
    }
    // The client resolves a plain `..` before asking: the path is no longer the app's.
    expect(await (await get('/app/../secret.txt')).text()).not.toContain('outside the build');
  });

  it('leaves other paths alone, refuses writes, and says how to build when nothing is built', async () => {
    expect(await (await get('/application')).text()).toBe('not the app');
    expect((await get('/app/board', 'POST')).status).toBe(405);
    const unbuilt = await get('/unbuilt/app/');
    expect(unbuilt.status).toBe(404);
    expect(await unbuilt.text()).toContain('npm run web:build');
  });
});
