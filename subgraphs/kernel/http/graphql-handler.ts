import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { readBody } from '../../platform/http/body.ts';

/** Bridges Node's HTTP to Apollo Server's transport-neutral request/response. */
export function graphqlHandler<C extends BaseContext>(
  server: ApolloServer<C>,
  context: (req: IncomingMessage) => Promise<C>,
  options: {
    maxBodyBytes: number;
    /** Answer 504 GATEWAY_TIMEOUT when Apollo has not answered within this many ms; unset or 0: wait. */
    timeoutMs?: number;
    /** Looks at the request as read (the JSON body, or the GET parameters) before Apollo does; an answer refuses it. */
    inspect?: (request: { method: string; body: unknown; search: URLSearchParams }) => { status: number; body: unknown } | undefined;
  },
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const raw = req.method === 'POST' ? await readBody(req, options.maxBodyBytes) : undefined;
    if (raw === null) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Request body too large.', extensions: { code: 'BAD_REQUEST' } }] }));
      return;
    }
    let body: unknown = raw;
    if (raw !== undefined && headers.get('content-type')?.includes('application/json')) {
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'Malformed JSON body.', extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refusal = options.inspect?.({ method: req.method ?? 'GET', body, search: url.searchParams });
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(refusal.body));
      return;
    }
    const execution = server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => context(req),
    });
    const response = options.timeoutMs ? await withTimeout(execution, options.timeoutMs) : await execution;
    if (response === TIMED_OUT) {
      res.writeHead(504, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'The request took too long.', extensions: { code: 'GATEWAY_TIMEOUT' } }] }));
      return;
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

const TIMED_OUT = Symbol('timed out');

/** The result, or TIMED_OUT; a late result (or failure) is dropped, since the client has its answer. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  work.catch(() => {});
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
