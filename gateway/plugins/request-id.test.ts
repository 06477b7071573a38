import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../subgraphs/platform/config.ts';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import type { GatewayContext } from '../context.ts';
import { createPipeline } from '../pipeline.ts';
import { corsPlugin } from './cors.ts';
import { requestIdPlugin } from './request-id.ts';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const logger = createLogger('silent');
const request = (headers: Record<string, string> = {}) => ({ method: 'POST', url: '/graphql', headers }) as unknown as IncomingMessage;

/** The headers a response would go out with, as the plugins' HTTP parts set them. */
const response = () => {
  const headers = new Map<string, string>();
  return {
    headers,
    getHeader: (name: string) => headers.get(name),
    setHeader: (name: string, value: string) => void headers.set(name, value),
  } as unknown as ServerResponse & { headers: Map<string, string> };
};

/** The response headers Apollo would send for a request with this context, after the plugins' hooks. */
async function answeredHeaders(plugins: ReturnType<typeof createPipeline>['plugins'], contextValue: GatewayContext): Promise<HeaderMap> {
  const http = { headers: new HeaderMap(), status: undefined };
  for (const p of plugins) {
    const hooks = await p.apollo?.requestDidStart?.({ contextValue } as never);
    await hooks?.willSendResponse?.({ contextValue, response: { http, body: { kind: 'single', singleResult: {} } } } as never);
  }
  return http.headers;
}

describe('the request-id plugin', () => {
  const pipeline = createPipeline(config, logger, {}, [corsPlugin, requestIdPlugin]);
  afterAll(() => pipeline.close());

  it('given a request with a valid X-Request-Id, then its response carries that id, the one the subgraphs are sent', async () => {
    const context = pipeline.context(request({ 'x-request-id': 'support-ticket-42' }));
    expect(context.requestId).toBe('support-ticket-42');
    expect((await answeredHeaders(pipeline.plugins, context)).get('x-request-id')).toBe('support-ticket-42');
  });

  it('given none (or one it refuses), then the response carries the fresh id the gateway made for it', async () => {
    for (const headers of [{}, { 'x-request-id': 'has spaces' }] as Array<Record<string, string>>) {
      const context = pipeline.context(request(headers));
      expect(context.requestId).not.toBe('has spaces');
      expect((await answeredHeaders(pipeline.plugins, context)).get('x-request-id')).toBe(context.requestId);
    }
  });

  it('lets a browser of an allowed origin read it, and adds nothing for an origin CORS refuses', async () => {
    const allowed = response();
    await pipeline.http(() => {})(request({ origin: 'http://localhost:5173' }), allowed);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('retry-after, x-request-id');
    const refused = response();
    await pipeline.http(() => {})(request({ origin: 'https://evil.example' }), refused);
    expect(refused.headers.has('access-control-expose-headers')).toBe(false);
  });
});
