import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createApiKeys, type ApiKeys } from './api-keys.ts';
import { createSessions, type Sessions } from './sessions.ts';
import { loadSigningKeys, type SigningKeys } from './signing-keys.ts';

export interface IamServices {
  keys: SigningKeys;
  sessions: Sessions;
  apiKeys: ApiKeys;
}

export async function createIamServices({ config, db, events }: SubgraphDeps<PrismaClient>): Promise<IamServices> {
  const keys = await loadSigningKeys(db, {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    configuredPem: config.jwt.privateKeyPem,
  });
  const sessions = createSessions(db, keys, {
    accessTtlSeconds: config.jwt.accessTtlSeconds,
    refreshTtlSeconds: config.jwt.refreshTtlSeconds,
    now: () => new Date(),
  });
  const apiKeys = createApiKeys(db, keys, {
    tokenTtlSeconds: config.jwt.apiKeyTtlSeconds,
    now: () => new Date(),
    onEvents: () => events.outbox.notify(),
  });
  return { keys, sessions, apiKeys };
}
