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

export type VerifyResult = { principal: Principal } | { error: string };

export type TokenVerifier = (token: string) => Promise<VerifyResult>;

/**
 * Verifies an access token's signature against the published keys and its claims; every
 * subgraph does this itself, so none of them trusts a header someone else set.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl ?? ''), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  return async (token) => {
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
      return { principal: { userId: payload.sub, orgId: payload.org, roles } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { error: 'The access token has expired.' };
      return { error: 'The access token is invalid.' };
    }
  };
}

/** `Authorization: Bearer <token>` → the token, or undefined. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
