/**
 * What production keeps to operators (issue 21, finding 14): /metrics and each subgraph's
 * `_service { sdl }` answer only when configured to.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../subgraphs/platform/config.ts';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/kernel/subgraph.ts';
import { SUBGRAPHS } from '../../subgraphs/system/subgraphs.ts';
import type { RunningGateway } from '../server.ts';
import { send, startEdgeGateway } from '../testing/edge.ts';

const JWT_PRIVATE_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PRODUCTION = { NODE_ENV: 'production', JWT_PRIVATE_KEY } as const;
const TOKEN = 'scrape-token-0123456789abcdef';

describe('the gateway’s /metrics in production', () => {
  let closed: RunningGateway;
  let token: RunningGateway;
  let open: RunningGateway;
  beforeAll(async () => {
    closed = await startEdgeGateway(PRODUCTION);
    token = await startEdgeGateway({ ...PRODUCTION, METRICS_BEARER_TOKEN: TOKEN });
    open = await startEdgeGateway({ ...PRODUCTION, METRICS_PUBLIC: 'true' });
  });
  afterAll(async () => {
    for (const gw of [closed, token, open]) await gw?.close();
  });

  it('is absent by default', async () => {
    expect((await send(`${closed.url}/metrics`)).status).toBe(404);
  });

  it('answers only the configured bearer token when one is set', async () => {
    expect((await send(`${token.url}/metrics`)).status).toBe(401);
    expect((await send(`${token.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const res = await send(`${token.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/graphql_request_duration_seconds/);
  });

  it('is open when asked for explicitly', async () => {
    expect((await send(`${open.url}/metrics`)).status).toBe(200);
  });
});

describe('a subgraph in production', () => {
  const orders = SUBGRAPHS.find((s) => s.name === 'orders')!;
  let hidden: RunningSubgraph;
  let shown: RunningSubgraph;
  beforeAll(async () => {
    const start = (env: Record<string, string>) => {
      const config = loadConfig({ ...PRODUCTION, LOG_LEVEL: 'error', DATA_DIR: 'memory://', ...env });
      return startSubgraph(orders, config, createLogger(config.logLevel), { port: 0 });
    };
    hidden = await start({});
    shown = await start({ SUBGRAPH_SERVICE_SDL: 'true', METRICS_BEARER_TOKEN: TOKEN });
  }, 120_000);
  afterAll(async () => {
    await hidden?.close();
    await shown?.close();
  });

  const sdl = (s: RunningSubgraph) => send(s.url, { body: { query: '{ _service { sdl } }' } });

  it('does not answer `_service { sdl }` by default, as if the field did not exist', async () => {
    const res = await sdl(hidden);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toBe('Cannot query field "_service" on type "Query".');
    expect(JSON.stringify(res.body)).not.toMatch(/type Order/);
  });

  it('answers it when SUBGRAPH_SERVICE_SDL is on, and still resolves entities either way', async () => {
    expect((await sdl(shown)).body.data._service.sdl).toMatch(/type Order/);
    const entities = await send(hidden.url, { body: { query: '{ _entities(representations: []) { __typename } }' } });
    expect(entities.body).toEqual({ data: { _entities: [] } });
  });

  it('keeps /metrics to the configured token', async () => {
    expect((await send(new URL('/metrics', hidden.url).toString())).status).toBe(404);
    expect((await send(new URL('/metrics', shown.url).toString())).status).toBe(401);
    expect((await send(new URL('/metrics', shown.url).toString(), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });
});
