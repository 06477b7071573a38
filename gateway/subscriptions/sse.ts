import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../subgraphs/platform/http/body.ts';
import { sendJson, type Handler } from '../../subgraphs/platform/http/server.ts';
import { LIVE_CODES, LiveError } from './errors.ts';
import type { LiveRequest } from './operation.ts';
import type { LiveSession } from './session.ts';

export interface SseOptions {
  session: LiveSession;
  maxBodyBytes: number;
  keepAliveSeconds: number;
}

const bad = (message: string) => new LiveError(LIVE_CODES.badSubscription, message);

/** The request's operation: a JSON body on POST, search parameters on GET (variables as JSON). */
async function liveRequest(req: IncomingMessage, maxBodyBytes: number): Promise<LiveRequest> {
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
    let variables: unknown;
    try {
      variables = params.has('variables') ? JSON.parse(params.get('variables')!) : undefined;
    } catch {
      throw bad('"variables" is not valid JSON.');
    }
    return { query: params.get('query') ?? undefined, variables, operationName: params.get('operationName') ?? undefined };
  }
  const raw = await readBody(req, maxBodyBytes);
  if (raw === null) throw bad('The request body is too large.');
  try {
    const body = JSON.parse(raw) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body as LiveRequest;
  } catch {
    throw bad('The body must be a JSON object: { "query": …, "variables": … }.');
  }
}

const message = (event: 'next' | 'complete', data: unknown) => `event: ${event}\ndata: ${data === undefined ? '' : JSON.stringify(data)}\n\n`;

/** Waits for the socket to take more, so a slow client's pushes queue (bounded) in the hub, not in Node's buffers. */
const drained = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * GraphQL over Server-Sent Events, the graphql-sse protocol's distinct connections mode: one
 * subscription per request, each push an `event: next`, the end an `event: complete`.
 */
export function sseHandler(options: SseOptions): Handler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return sendJson(res, 405, { errors: [{ message: 'Use GET or POST.', extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
    }
    let stream;
    try {
      const request = await liveRequest(req, options.maxBodyBytes);
      stream = await options.session.open(req.headers, request, 'sse');
    } catch (error) {
      if (error instanceof LiveError) return sendJson(res, error.kind.status, { errors: [error.toJSON()] });
      throw error;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // One stream per connection: when it ends the socket goes too, so a shutdown never waits on it.
      connection: 'close',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const keepAlive = setInterval(() => res.write(':\n\n'), options.keepAliveSeconds * 1000);
    keepAlive.unref();
    const gone = () => void stream.return();
    res.on('close', gone);
    try {
      for await (const result of stream) {
        if (res.destroyed) break;
        if (!res.write(message('next', result))) await drained(res);
      }
      if (!res.destroyed) res.write(message('complete', undefined));
    } finally {
      clearInterval(keepAlive);
      res.off('close', gone);
      res.end();
    }
  };
}
