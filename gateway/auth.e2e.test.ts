import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestGraph, type TestGraph } from './testing/harness.ts';

const LOGIN = `mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) { accessToken refreshToken expiresAt user { id email name roles organization { id name slug } } }
}`;
const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { email } } }';
const LOGOUT = 'mutation($t: String!) { logout(refreshToken: $t) }';
const ME = '{ me { email roles organization { slug } } }';

describe.each(await availableBackends())('authentication through the gateway on %s', (backend) => {
  let g: TestGraph;
  beforeAll(async () => {
    g = await startTestGraph(backend);
  });
  afterAll(() => g?.close());

  it('given the demo dispatcher, when logging in, then tokens and the user with its organization come back', async () => {
    const res = await g.gql(LOGIN, { e: 'Dispatcher@Demo.test ', p: 'voidtracker' });
    expect(res.errors).toBeUndefined();
    const login = res.data!.login;
    expect(login.accessToken.split('.')).toHaveLength(3);
    expect(login.refreshToken.length).toBeGreaterThan(30);
    expect(new Date(login.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(login.user).toMatchObject({ email: 'dispatcher@demo.test', roles: ['DISPATCHER'], organization: { slug: 'demo', name: 'Demo Logistics' } });
  });

  it('given a wrong password or an unknown email, then both fail alike, revealing nothing', async () => {
    const wrong = await g.gql(LOGIN, { e: 'dispatcher@demo.test', p: 'not-it' });
    const unknown = await g.gql(LOGIN, { e: 'nobody@demo.test', p: 'not-it' });
    expect(wrong.data).toBeNull();
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
  });

  it('given a token, when asking who I am, then the subgraph verified it against the JWKS', async () => {
    const token = await g.login('customer@demo.test');
    const res = await g.gql(ME, {}, token);
    expect(res.data?.me).toEqual({ email: 'customer@demo.test', roles: ['CUSTOMER'], organization: { slug: 'demo' } });
    expect((await g.gql(ME)).data?.me).toBeNull();
  });

  it('given a token whose claims were edited, then it is rejected as invalid', async () => {
    const token = await g.login('customer@demo.test');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['ADMIN'] })).toString('base64url');
    const res = await g.gql(ME, {}, `${header}.${forged}.${signature}`);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0]?.message).toMatch(/invalid/);
  });

  it('given a token signed by a stranger with a well-formed header, then it is rejected', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = (await exportJWK(publicKey)).x!;
    const token = await new SignJWT({ org: '01900000-0000-7000-8000-000000000001', roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('01900000-0000-7000-8000-000000000101')
      .setIssuer(g.config.jwt.issuer)
      .setAudience(g.config.jwt.audience)
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await g.gql('{ orders { edges { node { id } } } }', {}, token);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('given a refresh token, when refreshed, then it rotates, and reusing the old one ends the session', async () => {
    const first = (await g.gql(LOGIN, { e: 'admin@demo.test', p: 'voidtracker' })).data!.login;
    const second = (await g.gql(REFRESH, { t: first.refreshToken })).data!.refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.email).toBe('admin@demo.test');
    expect((await g.gql(ME, {}, second.accessToken)).data?.me.email).toBe('admin@demo.test');

    const replay = await g.gql(REFRESH, { t: first.refreshToken });
    expect(replay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The stolen-token alarm revoked the whole family, the newest token included.
    const after = await g.gql(REFRESH, { t: second.refreshToken });
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('given a session, when logging out, then its refresh token no longer works', async () => {
    const login = (await g.gql(LOGIN, { e: 'finance@demo.test', p: 'voidtracker' })).data!.login;
    expect((await g.gql(LOGOUT, { t: login.refreshToken })).data?.logout).toBe(true);
    expect((await g.gql(LOGOUT, { t: login.refreshToken })).data?.logout).toBe(false);
    const res = await g.gql(REFRESH, { t: login.refreshToken });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('publishes its signing keys as a JWKS without any private part', async () => {
    const iam = g.graph.subgraphs.find((s) => s.name === 'iam')!;
    const jwks = (await (await fetch(new URL('/.well-known/jwks.json', iam.url))).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('expired access tokens', () => {
  let g: TestGraph;
  beforeAll(async () => {
    g = await startTestGraph('pglite', { JWT_ACCESS_TTL_SECONDS: '1' });
  });
  afterAll(() => g?.close());

  it('given a token past its expiry, then every subgraph answers UNAUTHENTICATED saying so', async () => {
    const token = await g.login('dispatcher@demo.test');
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await g.gql('{ orders { edges { node { id } } } }', {}, token);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0]?.message).toMatch(/expired/);
    const me = await g.gql(ME, {}, token);
    expect(me.errors?.[0]?.message).toMatch(/expired/);
  });
});
