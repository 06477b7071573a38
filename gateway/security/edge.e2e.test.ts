/**
 * The edge with no account at all (issue 21, findings 1, 6, 7 and 14): the probes an attacker ran,
 * replayed through the gateway. Each would pass on the gateway as it was before these fixes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO } from '../../subgraphs/iam/seed.ts';
import type { RunningGateway } from '../server.ts';
import { send, startEdgeGateway, unsignedToken } from '../testing/edge.ts';
import { availableBackends, startTestGraph, type TestGraph } from '../testing/harness.ts';
import { startTestIssuer } from '../testing/issuer.ts';
import { sseSubscribe } from '../testing/live-sse.ts';

const issuer = await startTestIssuer();
afterAll(() => issuer.close());

const QUERY = { query: '{ __typename }' };
/** A client behind the one trusted proxy: the proxy appended `address`; whatever the client wrote is left of it. */
const from = (address: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': `203.0.113.250, ${address}`, ...extra });
let nextAddress = 0;
const freshAddress = () => `198.51.100.${++nextAddress}`;

async function statuses(gw: RunningGateway, headers: ReadonlyArray<Record<string, string>>) {
  const out: number[] = [];
  for (const h of headers) out.push((await send(gw.graphqlUrl, { body: QUERY, headers: h })).status);
  return out;
}

describe('rate-limit keys come only from verified credentials', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway({
      GATEWAY_RATE_LIMIT_PER_SECOND: '0.01',
      GATEWAY_RATE_LIMIT_BURST: '3',
      GATEWAY_TRUSTED_PROXIES: '1',
      JWKS_URL: issuer.jwksUrl,
    });
  });
  afterAll(() => gw?.close());

  it('given an unsigned token with a fresh random subject on every request, then it draws on its address and is refused past the budget', async () => {
    const address = freshAddress();
    const forged = Array.from({ length: 6 }, () => from(address, { authorization: `Bearer ${unsignedToken(randomUUID())}` }));
    expect(await statuses(gw, forged)).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('given forged tokens naming a victim, then the victim’s own bucket is untouched', async () => {
    const victim = randomUUID();
    const address = freshAddress();
    const forged = Array.from({ length: 5 }, () => from(address, { authorization: `Bearer ${unsignedToken(victim)}` }));
    expect(await statuses(gw, forged)).toEqual([200, 200, 200, 429, 429]);
    const real = { authorization: `Bearer ${await issuer.sign(victim)}` };
    expect(await statuses(gw, [real, real, real])).toEqual([200, 200, 200]);
  });

  it('given a token signed by a stranger’s key, then it is no one: its address pays', async () => {
    const stranger = await startTestIssuer();
    try {
      const address = freshAddress();
      const headers = await Promise.all(Array.from({ length: 4 }, async () => from(address, { authorization: `Bearer ${await stranger.sign(randomUUID())}` })));
      expect(await statuses(gw, headers)).toEqual([200, 200, 200, 429]);
    } finally {
      await stranger.close();
    }
  });

  it('given one trusted proxy, then the hop it appended is the client, and rotating the leftmost hop buys nothing', async () => {
    const a = freshAddress();
    const rotated = Array.from({ length: 4 }, (_, i) => ({ 'x-forwarded-for': `10.9.9.${i}, ${a}` }));
    expect(await statuses(gw, rotated)).toEqual([200, 200, 200, 429]);
    // Another client behind the same proxy has a bucket of its own.
    expect(await statuses(gw, [from(freshAddress())])).toEqual([200]);
  });
});

describe('made-up partner API keys', () => {
  let gw: RunningGateway;
  let exchanges = 0;
  let close: () => Promise<void>;
  beforeAll(async () => {
    // A stand-in iam that knows no key: every exchange it is asked is a 401.
    const server = createServer((req, res) => {
      if (req.url === '/api-keys/exchange') exchanges++;
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const iam = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    gw = await startEdgeGateway({ GATEWAY_RATE_LIMIT_PER_SECOND: '0.01', GATEWAY_RATE_LIMIT_BURST: '3' }, { urls: { iam } });
  });
  afterAll(async () => {
    await gw?.close();
    await close?.();
  });

  it('given a new well-formed key on every request, then each exchange with iam is paid by the sender’s address, and refused past its budget', async () => {
    const keys = Array.from({ length: 6 }, () => ({ 'x-api-key': `vtk_${randomBytes(32).toString('base64url')}` }));
    expect(await statuses(gw, keys)).toEqual([401, 401, 401, 429, 429, 429]);
    expect(exchanges).toBe(3);
  });
});

describe('X-Forwarded-For with no trusted proxy (the default)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway({ GATEWAY_RATE_LIMIT_PER_SECOND: '0.01', GATEWAY_RATE_LIMIT_BURST: '2', JWKS_URL: issuer.jwksUrl });
  });
  afterAll(() => gw?.close());

  it('is ignored: the socket address is the client', async () => {
    const spoofed = Array.from({ length: 3 }, (_, i) => ({ 'x-forwarded-for': `192.0.2.${i + 1}` }));
    expect(await statuses(gw, spoofed)).toEqual([200, 200, 429]);
  });
});

describe('documents are measured before they are parsed', () => {
  let gw: RunningGateway;
  let unlimitedSize: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway({});
    unlimitedSize = await startEdgeGateway({ GATEWAY_MAX_DOCUMENT_BYTES: '0' });
  });
  afterAll(async () => {
    await gw?.close();
    await unlimitedSize?.close();
  });

  // ~300 KB of fields and, at its very end, a syntax error: a parser would report the error, a
  // validator the unknown fields. The edge's code proves neither ran.
  const BOMB = `{ ${'a '.repeat(150_000)} !!! `;

  it('given a 300 KB anonymous query, then OPERATION_TOO_LARGE, not the syntax error at its end', async () => {
    const res = await send(gw.graphqlUrl, { body: { query: BOMB } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['OPERATION_TOO_LARGE']);
  });

  it('given the same with no size limit, then the token count refuses it before the parser reaches the end', async () => {
    const res = await send(unlimitedSize.graphqlUrl, { body: { query: BOMB } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['OPERATION_TOO_MANY_TOKENS']);
  });

  it('given a well-formed document of unknown fields past the token limit, then the token code, not validation’s', async () => {
    const res = await send(gw.graphqlUrl, { body: { query: `{ ${'nope '.repeat(6_000)}}` } });
    expect(res.body.errors[0].extensions.code).toBe('OPERATION_TOO_MANY_TOKENS');
  });

  it('given the same over GET, then the same refusal', async () => {
    const res = await send(gw.graphqlUrl, { search: { query: `{${'a '.repeat(5_500)}}` }, headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('OPERATION_TOO_MANY_TOKENS');
  });

  it('still serves an ordinary document', async () => {
    const res = await send(gw.graphqlUrl, { body: QUERY });
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('X-Request-Id at the gateway', () => {
  let gw: RunningGateway;
  let close: () => Promise<void>;
  const seen: Array<IncomingHttpHeaders['x-request-id']> = [];
  beforeAll(async () => {
    // A stand-in iam that records what the gateway forwards.
    const server = createServer((req, res) => {
      seen.push(req.headers['x-request-id']);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { me: null } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const iam = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    gw = await startEdgeGateway({}, { urls: { iam } });
  });
  afterAll(async () => {
    await gw?.close();
    await close?.();
  });

  it('forwards a plain id as it is, and replaces an oversized or odd one with a fresh id', async () => {
    for (const id of ['trace-42.a:b_c', 'x'.repeat(12_000), 'has spaces', '']) {
      await send(gw.graphqlUrl, { body: { query: '{ me { id } }' }, headers: { 'x-request-id': id } });
    }
    expect(seen[0]).toBe('trace-42.a:b_c');
    for (const forwarded of seen.slice(1)) expect(forwarded).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toHaveLength(4);
  });
});

const [backend] = await availableBackends();

describe(`with the whole graph (${backend})`, () => {
  let g: TestGraph;
  let ws: string;
  let stream: string;
  let dispatcher: string;
  beforeAll(async () => {
    g = await startTestGraph(backend!, {
      GATEWAY_RATE_LIMIT_PER_SECOND: '0.01',
      GATEWAY_RATE_LIMIT_BURST: '40',
      GATEWAY_TRUSTED_PROXIES: '1',
      GATEWAY_LOGIN_ACCOUNT_BURST: '5',
      GATEWAY_LOGIN_ADDRESS_BURST: '10',
      GATEWAY_LOGIN_FREE_FAILURES: '2',
      GATEWAY_SUBSCRIPTIONS_PER_CONNECTION: '2',
      GATEWAY_SUBSCRIPTIONS_PER_USER: '3',
      GATEWAY_WS_MAX_PAYLOAD_BYTES: '4096',
      GATEWAY_CORS_ORIGINS: 'https://app.example',
    });
    ws = g.url.replace(/^http/, 'ws');
    stream = `${g.url}/stream`;
    dispatcher = await g.login('dispatcher@demo.test');
  }, 180_000);
  afterAll(() => g?.close(), 120_000);

  const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
  const guess = (email: string, headers: Record<string, string>, password = 'wrong-password') =>
    send(g.url, { body: { query: LOGIN, variables: { e: email, p: password } }, headers });
  const codeOf = (res: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => res.body.errors?.[0]?.extensions?.code ?? 'OK';

  it('given 600 concurrent password guesses with unsigned tokens of random subjects, then no more reach iam than one address may try', async () => {
    const address = freshAddress();
    const results = await Promise.all(
      Array.from({ length: 600 }, () => guess('dispatcher@demo.test', from(address, { authorization: `Bearer ${unsignedToken(randomUUID())}` }))),
    );
    const codes = results.map(codeOf);
    const reachedIam = codes.filter((c) => c === 'UNAUTHENTICATED').length;
    expect(reachedIam).toBeGreaterThan(0);
    expect(reachedIam).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(600 - reachedIam);
    const refused = results.find((r) => codeOf(r) === 'RATE_LIMITED')!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors[0].extensions.retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('given guesses at one account from ever new addresses, then the account’s own budget bounds them', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) codes.push(codeOf(await guess('finance@demo.test', from(freshAddress()))));
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(5);
    expect(codes.slice(-4)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('given failures in a row, then a lockout starts before any bucket is empty, and says so with a reason', async () => {
    const address = freshAddress();
    const seen: Array<{ code: string; reason?: unknown }> = [];
    // Two failures are free; the third starts a lockout (1 s, then 2 s, …) that the next guess meets.
    for (let i = 0; i < 5 && !seen.some((s) => s.code === 'RATE_LIMITED'); i++) {
      const res = await guess('auditor@demo.test', from(address));
      seen.push({ code: codeOf(res), reason: res.body.errors?.[0]?.extensions?.reason });
    }
    expect(seen.slice(0, 3).map((s) => s.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(seen.at(-1)).toEqual({ code: 'RATE_LIMITED', reason: 'TOO_MANY_LOGIN_ATTEMPTS' });
  });

  it('counts every aliased login of one request', async () => {
    const fields = Array.from({ length: 12 }, (_, i) => `l${i}: login(email: "customer@demo.test", password: "x${i}") { accessToken }`).join(' ');
    const res = await send(g.url, { body: { query: `mutation { ${fields} }` }, headers: from(freshAddress()) });
    expect(codeOf(res)).toBe('RATE_LIMITED');
  });

  it('still lets the right password in', async () => {
    const res = await guess('admin@demo.test', from(freshAddress()), DEMO.password);
    expect(res.body.data.login.accessToken).toBeTruthy();
  });

  /** Opens a raw WebSocket and resolves with how it ended: the upgrade's HTTP status, or the close code. */
  const openSocket = (headers: Record<string, string>, first?: string) =>
    new Promise<{ status?: number; close?: number }>((resolve) => {
      const socket = new WebSocket(`${ws}`, 'graphql-transport-ws', { headers });
      socket.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode! });
        res.resume();
      });
      socket.on('open', () => (first ? socket.send(first) : socket.close(1000)));
      socket.on('close', (code) => resolve({ close: code }));
      socket.on('error', () => {});
    });

  it('refuses a WebSocket upgrade from a foreign origin, and takes one from an allowed one', async () => {
    expect(await openSocket({ origin: 'https://evil.example', ...from(freshAddress()) })).toEqual({ status: 403 });
    expect(await openSocket({ origin: 'https://app.example', ...from(freshAddress()) })).toEqual({ close: 1000 });
  });

  it('closes a socket whose connection_init is larger than the limit, before anyone is authenticated', async () => {
    const init = JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(10_000) } });
    expect(await openSocket(from(freshAddress()), init)).toEqual({ close: 1009 });
  });

  it('draws WebSocket upgrades from the client’s rate-limit bucket', async () => {
    const address = freshAddress();
    const results = [];
    for (let i = 0; i < 41; i++) results.push(await openSocket(from(address)));
    expect(results.slice(0, 40).every((r) => r.close === 1000)).toBe(true);
    expect(results[40]).toEqual({ status: 429 });
  });

  const TRACK = 'subscription($id: ID!) { orderUpdated(id: $id) { id status } }';

  /** A graphql-ws connection speaking the protocol by hand, so each message's answer is visible. */
  async function connection(token: string) {
    const socket = new WebSocket(ws, 'graphql-transport-ws');
    const messages: Array<{ id?: string; type: string; payload?: unknown }> = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await waitFor(() => messages.some((m) => m.type === 'connection_ack'));
    return {
      subscribe(id: string) {
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: TRACK, variables: { id: randomUUID() } } }));
      },
      errorOf: (id: string) => messages.find((m) => m.id === id && m.type === 'error')?.payload as Array<{ extensions: { code: string } }> | undefined,
      close: () => socket.close(),
    };
  }

  async function waitFor(condition: () => boolean) {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(condition()).toBe(true);
  }

  it('caps subscriptions per connection and per user, over both transports, with TOO_MANY_SUBSCRIPTIONS', async () => {
    const a = await connection(dispatcher);
    const b = await connection(dispatcher);
    try {
      a.subscribe('1');
      a.subscribe('2');
      a.subscribe('3');
      await waitFor(() => a.errorOf('3') !== undefined);
      expect(a.errorOf('3')![0]!.extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
      b.subscribe('1');
      b.subscribe('2');
      await waitFor(() => b.errorOf('2') !== undefined);
      expect(b.errorOf('2')![0]!.extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
      expect(a.errorOf('1')).toBeUndefined();
      expect(b.errorOf('1')).toBeUndefined();
      const sse = await sseSubscribe(stream, TRACK, { id: randomUUID() }, { authorization: `Bearer ${dispatcher}` });
      expect(sse.status).toBe(429);
      expect(sse.refusal?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    } finally {
      a.close();
      b.close();
    }
    // Closing frees the user's share.
    let reopened;
    for (let i = 0; i < 40; i++) {
      reopened = await sseSubscribe(stream, TRACK, { id: randomUUID() }, { authorization: `Bearer ${dispatcher}` });
      if (reopened.status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(reopened!.status).toBe(200);
    reopened!.close();
  });

  it('measures a subscription document before parsing it on the stream route', async () => {
    const res = await send(stream, { body: { query: `subscription { ${'a '.repeat(150_000)} !!!` } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('OPERATION_TOO_LARGE');
  });
});
