import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSlice, loadConfig } from '../subgraphs/platform/config.ts';
import type { Handler } from '../subgraphs/platform/http/server.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { keyExchanged } from './credentials.ts';
import { createPipeline, edgeCodes, PLUGINS } from './pipeline.ts';
import { definePlugin, type PluginDefinition } from './plugins/types.ts';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const logger = createLogger('silent');
const request = (headers: Record<string, string> = {}) => ({ method: 'POST', url: '/graphql', headers }) as unknown as IncomingMessage;
const response = {} as ServerResponse;

/** A plugin whose HTTP part notes that it ran, then passes the request on. */
const tracing = (name: string, seen: string[], options: { stream?: boolean; off?: boolean } = {}): PluginDefinition =>
  definePlugin({
    name,
    description: `${name}, for the test`,
    codes: [],
    stream: options.stream ?? false,
    create: () =>
      options.off
        ? undefined
        : {
            name,
            http: (next) => (req, res) => {
              seen.push(name);
              return next(req, res);
            },
          },
  });

describe('the pipeline', () => {
  it('runs the plugins’ HTTP parts in the order listed, skips those the config turns off, and passes a stream route through the stream plugins only', async () => {
    const seen: string[] = [];
    const endpoint: Handler = () => void seen.push('endpoint');
    const pipeline = createPipeline(config, logger, {}, [
      tracing('first', seen, { stream: true }),
      tracing('off', seen, { stream: true, off: true }),
      tracing('second', seen),
      tracing('third', seen, { stream: true }),
    ]);
    await pipeline.http(endpoint)(request(), response);
    expect(seen).toEqual(['first', 'second', 'third', 'endpoint']);
    seen.length = 0;
    await pipeline.stream(endpoint)(request(), response);
    expect(seen).toEqual(['first', 'third', 'endpoint']);
    expect(pipeline.plugins.map((p) => p.name)).toEqual(['first', 'second', 'third']);
    await pipeline.close();
  });

  it('gives the subgraphs the header as it came, or the token of a key exchanged at the edge, and names the key’s client', async () => {
    const pipeline = createPipeline(config, logger, {}, []);
    const user = request({ authorization: 'Bearer user-token', 'apollographql-client-name': 'dispatch-web' });
    expect(pipeline.context(user)).toMatchObject({ authorization: 'Bearer user-token', clientName: 'dispatch-web' });
    const partner = request({ 'x-api-key': 'vtk_secret', 'apollographql-client-name': 'spoofed' });
    keyExchanged(partner, { apiKeyId: 'k1', clientName: 'shop', accessToken: 'partner-token' });
    expect(pipeline.context(partner)).toMatchObject({ authorization: 'Bearer partner-token', clientName: 'shop' });
    await pipeline.close();
  });

  it('lets the codes the plugins declare outside the closed set pass formatting, and nothing of the closed set', () => {
    const codes = edgeCodes();
    for (const code of ['OPERATION_TOO_DEEP', 'OPERATION_TOO_LARGE', 'SUBGRAPH_TIMEOUT', 'SUBGRAPH_INVALID_VALUE', 'PERSISTED_QUERY_NOT_IN_LIST', 'SUBSCRIPTION_NOT_OVER_HTTP']) {
      expect(codes.has(code)).toBe(true);
    }
    for (const code of ['UNAUTHENTICATED', 'RATE_LIMITED', 'SERVICE_OVERLOADED', 'INTERNAL_SERVER_ERROR']) expect(codes.has(code)).toBe(false);
  });

  it('keeps the order docs/gateway.md explains: CORS first, keys before the rate limit, the safelist before APQ, overload status last', () => {
    const at = (name: string) => PLUGINS.findIndex((p) => p.name === name);
    expect(at('cors')).toBe(0);
    expect(at('partner-keys')).toBeLessThan(at('rate-limit'));
    expect(at('rate-limit')).toBeLessThan(at('partner-safelist'));
    expect(at('partner-safelist')).toBeLessThan(at('automatic-persisted-queries'));
    expect(at('automatic-persisted-queries')).toBeLessThan(at('subscriptions'));
    expect(at('overload-status')).toBe(PLUGINS.length - 1);
    expect(new Set(PLUGINS.map((p) => p.name)).size).toBe(PLUGINS.length);
  });

  it('parses a plugin’s own settings once, before any plugin is made, and stops on a bad value naming it', async () => {
    const made: unknown[] = [];
    const withSettings = definePlugin({
      name: 'greeting',
      description: 'a plugin with a setting, for the test',
      codes: [],
      stream: false,
      config: configSlice(z.object({ TEST_GREETING_TIMES: z.coerce.number().int().min(1).default(2).describe('How often.') }), (e) => ({ times: e.TEST_GREETING_TIMES })),
      create: (_services, settings) => void made.push(settings.times),
    });
    await createPipeline(config, logger, {}, [withSettings]).close();
    await createPipeline(loadConfig({ ...config.environment, TEST_GREETING_TIMES: '5' }), logger, {}, [withSettings]).close();
    expect(made).toEqual([2, 5]);
    const creates: string[] = [];
    const later = definePlugin({ name: 'later', description: 'made after', codes: [], stream: false, create: () => void creates.push('later') });
    expect(() => createPipeline(loadConfig({ ...config.environment, TEST_GREETING_TIMES: '0' }), logger, {}, [later, withSettings])).toThrow(/^Invalid configuration:\n  TEST_GREETING_TIMES: /);
    expect(creates).toEqual([]);
  });
});
