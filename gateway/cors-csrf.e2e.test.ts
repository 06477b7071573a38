import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../subgraphs/platform/config.ts';
import type { RunningGateway } from './server.ts';
import { send, startEdgeGateway } from './testing/edge.ts';

const preflight = (gw: RunningGateway, origin: string) =>
  fetch(gw.graphqlUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });

describe('CORS from the configured allowlist', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway({ GATEWAY_CORS_ORIGINS: 'https://app.voidtracker.test, http://localhost:*' });
  });
  afterAll(() => gw?.close());

  it('answers an allowed origin’s preflight with what a browser needs', async () => {
    const res = await preflight(gw, 'https://app.voidtracker.test');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.voidtracker.test');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/apollo-require-preflight/);
    // Tokens travel in a header, never in cookies.
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows any port of a `:*` origin and marks actual responses', async () => {
    const res = await send(gw.graphqlUrl, { body: { query: '{ __typename }' }, headers: { origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives other origins no CORS headers', async () => {
    for (const origin of ['https://evil.test', 'https://app.voidtracker.test.evil.test', 'http://localhost.evil.test:80']) {
      const res = await preflight(gw, origin);
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
      const actual = await send(gw.graphqlUrl, { body: { query: '{ __typename }' }, headers: { origin } });
      expect(actual.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('lets a Sentry-instrumented app send its tracing headers, and the allowed extra headers are a setting', async () => {
    const res = await preflight(gw, 'https://app.voidtracker.test');
    const allowed = res.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['baggage', 'sentry-trace', 'authorization', 'content-type']));
    const custom = await startEdgeGateway({ GATEWAY_CORS_ORIGINS: 'https://app.voidtracker.test', GATEWAY_CORS_ALLOWED_HEADERS: 'X-Feature-Flags' });
    try {
      const headers = (await preflight(custom, 'https://app.voidtracker.test')).headers.get('access-control-allow-headers')!.split(/,\s*/);
      expect(headers).toContain('x-feature-flags');
      expect(headers).toContain('authorization');
      expect(headers).not.toContain('baggage');
    } finally {
      await custom.close();
    }
  });

  it('defaults to localhost origins in development and to none in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).gateway.corsOrigins).toContain('http://localhost:*');
    expect(loadConfig({ NODE_ENV: 'production', JWT_PRIVATE_KEY: 'x' }).gateway.corsOrigins).toEqual([]);
  });
});

describe('CSRF prevention', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway({});
  });
  afterAll(() => gw?.close());

  it('refuses a GET operation a foreign page could trigger without a preflight', async () => {
    const res = await send(gw.graphqlUrl, { search: { query: '{ __typename }' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/CSRF/);
  });

  it('serves a GET whose credentials travel in Authorization (a header only a preflight lets a foreign page send)', async () => {
    const res = await send(gw.graphqlUrl, { search: { query: '{ __typename }' }, headers: { authorization: 'Bearer not-checked-by-typename' } });
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('names the headers that fix a refusal, credentials headers among them', async () => {
    const res = await send(gw.graphqlUrl, { search: { query: '{ __typename }' } });
    expect(res.body.errors[0].message).toMatch(/authorization, x-api-key/);
  });

  it('refuses a form-encoded POST, and serves the same GET with a preflight-forcing header', async () => {
    const form = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(form.status).toBe(400);
    const res = await send(gw.graphqlUrl, { search: { query: '{ __typename }' }, headers: { 'apollo-require-preflight': 'true' } });
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('field suggestions', () => {
  const typo = { query: '{ mee { id } }' };
  let dev: RunningGateway;
  let prod: RunningGateway;
  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    dev = await startEdgeGateway({});
    prod = await startEdgeGateway({ NODE_ENV: 'production', JWT_PRIVATE_KEY: await exportPKCS8(privateKey) });
  });
  afterAll(async () => {
    await dev?.close();
    await prod?.close();
  });

  it('are offered in development', async () => {
    const res = await send(dev.graphqlUrl, { body: typo });
    expect(res.body.errors[0].message).toMatch(/Did you mean "me"/);
  });

  it('are masked in production, which still says what is wrong', async () => {
    const res = await send(prod.graphqlUrl, { body: typo });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/Cannot query field "mee"/);
    expect(res.body.errors[0].message).not.toMatch(/Did you mean/);
  });
});
