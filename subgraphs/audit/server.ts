import { auditConfig, type AuditSettings } from './config.ts';
import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { auditConsumer } from './events/audit-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildAuditSchema } from './schema/index.ts';
import { createAuditServices, type AuditServices } from './services/index.ts';

export const audit: SubgraphDefinition<PrismaClient, AuditServices, AuditSettings> = {
  name: 'audit',
  port: 4005,
  config: auditConfig,
  migrationsDir: 'prisma/audit/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildAuditSchema,
  services: createAuditServices,
  // One group over every domain's topic (members of a Kafka group should share one subscription).
  consumers: () => [auditConsumer],
  closeServices: async (services) => services.close(),
};

runSubgraphMain(import.meta.url, audit);
