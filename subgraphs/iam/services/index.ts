import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createSessions, type Sessions } from './sessions.ts';
import { loadSigningKeys, type SigningKeys } from './signing-keys.ts';

export interface IamServices {
  keys: SigningKeys;
  sessions: Sessions;
}

export async function createIamServices({ config, db }: SubgraphDeps<PrismaClient>): Promise<IamServices> {
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
  return { keys, sessions };
}
