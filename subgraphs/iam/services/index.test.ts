import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSlice } from '../../platform/config.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { iamConfig, type IamSettings } from '../config.ts';
import { createIamServices } from './index.ts';

describe('iam’s signing key', () => {
  it('given production without JWT_PRIVATE_KEY, then iam (the one process that signs) refuses to start, naming it', async () => {
    const deps = { config: loadConfig({ NODE_ENV: 'production' }), settings: parseSlice(iamConfig, {}) } as SubgraphDeps<PrismaClient, IamSettings>;
    const error = await createIamServices(deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/JWT_PRIVATE_KEY: required by iam in production/);
  });
});
