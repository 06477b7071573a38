import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { createPublicKey } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';

const ALG = 'ES256';

export interface AccessClaims {
  userId: string;
  orgId: string;
  roles: string[];
  /** For a partner API key's principal: which key and client, so the gateway safelists its requests. */
  apiKey?: { id: string; clientName: string };
}

export interface SigningKeys {
  /** Published at /.well-known/jwks.json for every subgraph to verify with. */
  jwks(): { keys: JWK[] };
  sign(claims: AccessClaims, expiresAt: Date): Promise<string>;
  /** For iam's own verification, without a round trip to itself. */
  verifyKey: JWTVerifyGetKey;
}

interface KeyRecord {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function fromPem(pem: string): Promise<KeyRecord> {
  const privateKey = await importPKCS8(pem, ALG, { extractable: true });
  const publicJwk = (await exportJWK(createPublicKey(pem))) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' } };
}

/**
 * The ES256 key that signs access tokens: the configured one, or (outside production) one
 * generated on first start and kept in iam's database so tokens survive a restart.
 */
export async function loadSigningKeys(
  db: PrismaClient,
  options: { issuer: string; audience: string; configuredPem: string | undefined },
): Promise<SigningKeys> {
  let active: KeyRecord;
  if (options.configuredPem) {
    active = await fromPem(options.configuredPem);
  } else {
    const stored = await db.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
    if (stored) {
      active = await fromPem(stored.privateKeyPem);
    } else {
      const { privateKey } = await generateKeyPair(ALG, { extractable: true });
      const pem = await exportPKCS8(privateKey);
      active = await fromPem(pem);
      await db.signingKey.create({ data: { kid: active.kid, privateKeyPem: pem, publicJwk: active.publicJwk as object } });
    }
  }
  const published = new Map<string, JWK>([[active.kid, active.publicJwk]]);
  const verifyKeys = new Map([[active.kid, await importJWK(active.publicJwk, ALG)]]);
  return {
    jwks: () => ({ keys: [...published.values()] }),
    sign: (claims, expiresAt) =>
      new SignJWT({
        org: claims.orgId,
        roles: claims.roles,
        ...(claims.apiKey ? { akid: claims.apiKey.id, client: claims.apiKey.clientName } : {}),
      })
        .setProtectedHeader({ alg: ALG, kid: active.kid, typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .setJti(crypto.randomUUID())
        .sign(active.privateKey),
    verifyKey: async (header) => {
      const key = header.kid ? verifyKeys.get(header.kid) : undefined;
      if (!key) throw new Error('unknown signing key');
      return key;
    },
  };
}
