import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isRole } from './roles.ts';
import type { Principal } from './principal.ts';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the signing keys are published (iam's JWKS endpoint). */
  jwksUrl?: string;
  /** A key resolver in place of the URL (iam verifies with its own keys). */
  keys?: JWTVerifyGetKey;
}

/** `issuedAtSec` is the token's `iat` (0 when absent), which the deny-list compares with its events. */
export type VerifyResult = { principal: Principal; issuedAtSec: number } | { error: string };

export type TokenVerifier = (token: string) => Promise<VerifyResult>;

/**
 * Verifies an access token's signature against the published keys and its claims; every
 * subgraph does this itself, so none of them trusts a header someone else set.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl ?? ''), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  // A token is immutable: once its signature checked out, the answer holds until it expires.
  // Caching it saves an ECDSA verification per subgraph per request.
  const verified = new Map<string, { principal: Principal; issuedAtSec: number; expiresAtMs: number }>();
  return async (token) => {
    const hit = verified.get(token);
    if (hit) {
      if (hit.expiresAtMs > Date.now()) return { principal: hit.principal, issuedAtSec: hit.issuedAtSec };
      verified.delete(token);
    }
    const result = await verifyOnce(token);
    if ('principal' in result) {
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, result);
      return { principal: result.principal, issuedAtSec: result.issuedAtSec };
    }
    return result;
  };

  async function verifyOnce(token: string): Promise<{ principal: Principal; issuedAtSec: number; expiresAtMs: number } | { error: string }> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['ES256'],
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
      if (typeof payload.sub !== 'string' || typeof payload.org !== 'string') {
        return { error: 'The access token is missing its subject or organization.' };
      }
      if (typeof payload.exp !== 'number') return { error: 'The access token has no expiry.' };
      const issuedAtSec = typeof payload.iat === 'number' ? payload.iat : 0;
      return { principal: { userId: payload.sub, orgId: payload.org, roles }, issuedAtSec, expiresAtMs: payload.exp * 1000 };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { error: 'The access token has expired.' };
      return { error: 'The access token is invalid.' };
    }
  }
}

/** Enough for every active session of a busy tenant; the oldest entry makes room. */
const VERIFIED_CACHE_SIZE = 10_000;

/** `Authorization: Bearer <token>` → the token, or undefined. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
