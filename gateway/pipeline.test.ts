import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../subgraphs/platform/config.ts';
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

  it('lists the plugins in the order docs/gateway.md explains', () => {
    expect(PLUGINS.map((p) => p.name)).toEqual([
      'cors',
      'metrics',
      'partner-keys',
      'rate-limit',
      'login-limit',
      'operation-limits',
      'partner-safelist',
      'automatic-persisted-queries',
      'subscriptions',
      'overload-status',
    ]);
  });
});
