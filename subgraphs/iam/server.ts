import { createTokenVerifier } from '../kernel/auth/verifier.ts';
import { sendJson } from '../platform/http/server.ts';
import { iamConfig, type IamSettings } from './config.ts';
import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildIamSchema } from './schema/index.ts';
import { seedIam } from './seed.ts';
import { API_KEY_EXCHANGE_PATH, apiKeyExchangeRoute } from './services/api-key-exchange.ts';
import { createIamServices, type IamServices } from './services/index.ts';

export const iam: SubgraphDefinition<PrismaClient, IamServices, IamSettings> = {
  name: 'iam',
  port: 4001,
  config: iamConfig,
  migrationsDir: 'prisma/iam/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildIamSchema,
  services: createIamServices,
  routes: (services) => ({
    '/.well-known/jwks.json': (_req, res) => sendJson(res, 200, services.keys.jwks()),
    [API_KEY_EXCHANGE_PATH]: apiKeyExchangeRoute(services.apiKeys),
  }),
  // iam checks its own tokens with the keys it holds instead of calling itself over HTTP.
  verifier: (services, config) =>
    createTokenVerifier({ issuer: config.jwt.issuer, audience: config.jwt.audience, keys: services.keys.verifyKey }),
  seed: seedIam,
};

runSubgraphMain(import.meta.url, iam);
