import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const WEB_APP_PATH = '/app';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

/**
 * The built web app (examples/web, `npm run web:build`) at /app, beside Sandbox on `/`. Files of
 * the build by path; any other path under /app is a screen of the app, answered with its
 * index.html (the app routes in the browser). Hashed assets are cached for good, the page never,
 * so a new build shows on the next load. Answers false for paths that are not the app's.
 */
export function webAppHandler(dir: string) {
  const root = resolve(dir);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path !== WEB_APP_PATH && !path.startsWith(`${WEB_APP_PATH}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const index = join(root, 'index.html');
    if (!(await isFile(index))) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('The web app is not built: npm run web:build (npm start builds it).\n');
      return true;
    }
    const wanted = normalize(join(root, decodeURIComponent(path.slice(WEB_APP_PATH.length)) || '/'));
    // Never outside the build, whatever the path says.
    const inside = wanted.startsWith(root + sep) && (await isFile(wanted));
    const file = inside ? wanted : index;
    const immutable = inside && wanted.startsWith(join(root, 'assets') + sep);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
