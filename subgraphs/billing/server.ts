import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { iamRoute } from './events/iam-consumer.ts';
import { ordersRoutes } from './events/orders-consumer.ts';
import { planningRoute } from './events/planning-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildBillingSchema } from './schema/index.ts';
import { seedBilling } from './seed.ts';
import { createBillingServices, type BillingServices } from './services/index.ts';

export const billing: SubgraphDefinition<PrismaClient, BillingServices> = {
  name: 'billing',
  port: 4004,
  migrationsDir: 'prisma/billing/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildBillingSchema,
  services: createBillingServices,
  consumers: (deps, services) => [
    { name: 'billing', routes: [iamRoute, ...ordersRoutes(services.metrics, deps.logger.child({ consumer: 'orders' })), planningRoute(services.metrics)] },
  ],
  readiness: async (services) => ({ activeRateCards: await services.activeRateCards() }),
  metrics: (services) => services.metrics.text(),
  seed: seedBilling,
};

runSubgraphMain(import.meta.url, billing);
