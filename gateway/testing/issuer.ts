/** A token issuer for edge suites that run without iam: an ES256 key, its JWKS on a port, tokens signed with it. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface TestIssuer {
  /** Where the gateway finds the keys (JWKS_URL). */
  jwksUrl: string;
  /** A valid access token of `sub` (issuer and audience as configured by default). */
  sign(sub: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(options: { issuer?: string; audience?: string } = {}): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const body = JSON.stringify({ keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    sign: (sub, claims = {}) =>
      new SignJWT({ org: 'org-test', roles: ['CUSTOMER'], ...claims })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(sub)
        .setIssuer(options.issuer ?? 'voidtracker-iam')
        .setAudience(options.audience ?? 'voidtracker')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
