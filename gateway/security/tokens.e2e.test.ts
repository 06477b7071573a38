/**
 * Forged access tokens that held when probed (issue 21), kept held. Tampered claims and a
 * stranger's key are in gateway/auth.e2e.test.ts; these are the header tricks: no algorithm, an
 * HMAC keyed with the public key, and keys the token brings along (jwk) or points to (jku).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../subgraphs/iam/seed.ts';
import { availableBackends, startTestGraph, type TestGraph } from '../testing/harness.ts';

const ADMIN = DEMO.users.find((u) => u.email === 'admin@demo.test')!;
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe.each(await availableBackends())('forged access tokens on %s', (backend) => {
  let g: TestGraph;
  let claims: Record<string, unknown>;
  let published: JWK & { kid?: string };
  let attacker: Awaited<ReturnType<typeof generateKeyPair>>;
  let attackerJwk: JWK;
  let closeJwks: () => Promise<void>;
  let attackerJwksUrl: string;

  beforeAll(async () => {
    g = await startTestGraph(backend);
    const iam = g.graph.subgraphs.find((s) => s.name === 'iam')!;
    published = ((await (await fetch(new URL('/.well-known/jwks.json', iam.url))).json()) as { keys: JWK[] }).keys[0]!;
    const real = JSON.parse(Buffer.from((await g.login('customer@demo.test')).split('.')[1]!, 'base64url').toString());
    // An admin of the demo tenant, as the attacker would like to be.
    claims = { ...real, sub: ADMIN.id, roles: ['ADMIN'] };
    attacker = await generateKeyPair('ES256', { extractable: true });
    attackerJwk = await exportJWK(attacker.publicKey);
    const jwks = JSON.stringify({ keys: [{ ...attackerJwk, kid: published.kid, alg: 'ES256', use: 'sig' }] });
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(jwks);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    attackerJwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    closeJwks = () => new Promise<void>((resolve) => server.close(() => resolve()));
  }, 180_000);
  afterAll(async () => {
    await closeJwks?.();
    await g?.close();
  }, 120_000);

  const signAsAttacker = (header: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', ...header }).sign(attacker.privateKey);

  /** The token is refused by iam (`me`) and by another subgraph (orders), through the gateway. */
  async function refused(token: string) {
    for (const query of ['{ me { id roles } }', '{ orders(first: 1) { edges { node { id } } } }']) {
      const res = await g.gql(query, {}, token);
      expect(res.errors?.[0]?.extensions?.code, `${query}: ${JSON.stringify(res)}`).toBe('UNAUTHENTICATED');
      expect(res.data?.me ?? null).toBeNull();
    }
  }

  it('given alg none and no signature, then it is refused', async () => {
    await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
  });

  it('given HS256 keyed with the published public key, then it is refused', async () => {
    const { createHmac } = await import('node:crypto');
    const secrets = [JSON.stringify(published), `${published.x}${published.y}`];
    for (const secret of secrets) {
      const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: published.kid })}.${b64(claims)}`;
      await refused(`${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`);
    }
  });

  it('given the published key id on a token the attacker signed, then it is refused', async () => {
    await refused(await signAsAttacker({ kid: published.kid }));
  });

  it('given an unknown key id, then it is refused', async () => {
    await refused(await signAsAttacker({ kid: await calculateJwkThumbprint(attackerJwk) }));
  });

  it('given the attacker’s key embedded as a jwk header, then it is refused', async () => {
    await refused(await signAsAttacker({ jwk: attackerJwk }));
    await refused(await signAsAttacker({ jwk: attackerJwk, kid: published.kid }));
  });

  it('given a jku header pointing at the attacker’s key set, then it is refused', async () => {
    await refused(await signAsAttacker({ jku: attackerJwksUrl, kid: published.kid }));
  });
});
