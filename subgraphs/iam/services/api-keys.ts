import type { Principal } from '../../kernel/auth/principal.ts';
import { notFound } from '../../platform/errors.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { isWellFormedSecret, newApiKeySecret, secretPrefixOf } from '../../kernel/auth/api-key-secret.ts';
import { clientPrincipalId, hashApiKeySecret, type CreateApiKey } from '../domain/api-key.ts';
import { ApiKeyCreated, ApiKeyRevoked } from '../events/contracts.ts';
import type { ApiKey, PrismaClient } from '../generated/prisma/client.ts';
import { requireAuthority, type Tx } from './actors.ts';
import type { SigningKeys } from './signing-keys.ts';

export interface CreatedApiKey {
  /** Shown once: only its hash is stored. */
  secret: string;
  apiKey: ApiKey;
}

/** What the gateway receives for a valid key: a short-lived token for the key's principal. */
export interface ApiKeyExchange {
  accessToken: string;
  expiresAt: Date;
  apiKeyId: string;
  clientName: string;
  orgId: string;
  principalId: string;
  roles: string[];
}

export interface ApiKeys {
  create(admin: Principal, input: CreateApiKey, traceparent?: string): Promise<CreatedApiKey>;
  /** Revokes a key of the admin's organization; revoking a revoked key changes nothing. */
  revoke(admin: Principal, id: string, traceparent?: string): Promise<ApiKey>;
  /** A token for a valid, unrevoked key; null for anything else (one answer, whatever the reason). */
  exchange(secret: string): Promise<ApiKeyExchange | null>;
}

export function createApiKeys(
  db: PrismaClient,
  keys: SigningKeys,
  options: { tokenTtlSeconds: number; now: () => Date; commit: UnitOfWork<Tx> },
): ApiKeys {
  return {
    async create(admin, input, traceparent) {
      const now = options.now();
      const secret = newApiKeySecret();
      const id = uuidv7(now.getTime());
      const principalId = clientPrincipalId(admin.orgId, input.clientName);
      const apiKey = await options.commit(async (tx) => {
        await requireAuthority(tx, admin, ['ADMIN']);
        const created = await tx.apiKey.create({
          data: {
            id,
            orgId: admin.orgId,
            clientName: input.clientName,
            principalId,
            roles: input.roles,
            secretHash: hashApiKeySecret(secret),
            secretPrefix: secretPrefixOf(secret),
            createdById: admin.userId,
            createdAt: now,
          },
        });
        const event = ApiKeyCreated.create(
          { apiKeyId: id, clientName: input.clientName, principalId, roles: input.roles, createdBy: admin.userId },
          { subject: id, orgId: admin.orgId, time: now, ...(traceparent ? { traceparent } : {}) },
        );
        await writeOutbox(prismaSql(tx), ApiKeyCreated.topic, [event]);
        return created;
      });
      return { secret, apiKey };
    },

    async revoke(admin, id, traceparent) {
      const now = options.now();
      const revoked = await options.commit(async (tx) => {
        await requireAuthority(tx, admin, ['ADMIN']);
        // Conditional on still being active, so two racing revocations announce it once.
        const claimed = await tx.apiKey.updateMany({
          where: { id, orgId: admin.orgId, revokedAt: null },
          data: { revokedAt: now, revokedById: admin.userId },
        });
        const key = await tx.apiKey.findFirst({ where: { id, orgId: admin.orgId } });
        if (!key) throw notFound('API key', ['id']);
        if (claimed.count === 1) {
          const event = ApiKeyRevoked.create(
            { apiKeyId: id, clientName: key.clientName, revokedBy: admin.userId },
            { subject: id, orgId: admin.orgId, time: now, ...(traceparent ? { traceparent } : {}) },
          );
          await writeOutbox(prismaSql(tx), ApiKeyRevoked.topic, [event]);
        }
        return { key, announced: claimed.count === 1 };
      });
      return revoked.key;
    },

    async exchange(secret) {
      if (!isWellFormedSecret(secret)) return null;
      const key = await db.apiKey.findUnique({ where: { secretHash: hashApiKeySecret(secret) } });
      if (!key || key.revokedAt) return null;
      const now = options.now();
      const expiresAt = new Date(now.getTime() + options.tokenTtlSeconds * 1000);
      const accessToken = await keys.sign(
        { userId: key.principalId, orgId: key.orgId, roles: key.roles, apiKey: { id: key.id, clientName: key.clientName } },
        expiresAt,
      );
      // Bookkeeping for admins ("is this key still used?"); a failure here must not refuse the key.
      await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } }).catch(() => undefined);
      return { accessToken, expiresAt, apiKeyId: key.id, clientName: key.clientName, orgId: key.orgId, principalId: key.principalId, roles: key.roles };
    },
  };
}
