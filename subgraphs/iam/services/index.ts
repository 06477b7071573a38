import { ConfigError } from '../../platform/config.ts';
import { unitOfWork } from '../../platform/events/unit-of-work.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { IamSettings } from '../config.ts';
import type { Tx } from './actors.ts';
import { createApiKeys, type ApiKeys } from './api-keys.ts';
import { createInvitations, type Invitations } from './invitations.ts';
import { createOrganizations, type Organizations } from './organizations.ts';
import { createSessions, type Sessions } from './sessions.ts';
import { loadSigningKeys, type SigningKeys } from './signing-keys.ts';
import { createUserAdmin, type UserAdmin } from './users.ts';

export interface IamServices {
  keys: SigningKeys;
  sessions: Sessions;
  apiKeys: ApiKeys;
  invitations: Invitations;
  users: UserAdmin;
  organizations: Organizations;
}

export async function createIamServices({ config, settings, db, events }: SubgraphDeps<PrismaClient, IamSettings>): Promise<IamServices> {
  // Only iam signs, so only iam needs the key; the other processes verify through its JWKS.
  if (config.env === 'production' && !settings.privateKeyPem) {
    throw new ConfigError('Invalid configuration:\n  JWT_PRIVATE_KEY: required by iam in production');
  }
  const keys = await loadSigningKeys(db, {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    configuredPem: settings.privateKeyPem,
  });
  const now = () => new Date();
  // Commands that announce something commit through it: the relay wakes once they committed.
  const commit = unitOfWork<Tx>(db, events.outbox);
  const sessions = createSessions(db, keys, {
    accessTtlSeconds: config.jwt.accessTtlSeconds,
    refreshTtlSeconds: settings.refreshTtlSeconds,
    now,
  });
  const apiKeys = createApiKeys(db, keys, { tokenTtlSeconds: settings.apiKeyTtlSeconds, now, commit });
  const invitations = createInvitations(db, sessions, { ttlSeconds: settings.invitationTtlSeconds, now, commit });
  const users = createUserAdmin(db, { now, commit });
  const organizations = createOrganizations(db, invitations, { now, commit });
  return { keys, sessions, apiKeys, invitations, users, organizations };
}
