import { analyticsConfig, type AnalyticsSettings } from './config.ts';
import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { billingRoute } from './events/billing-consumer.ts';
import { iamRoute } from './events/iam-consumer.ts';
import { ordersRoute } from './events/orders-consumer.ts';
import { planningRoute } from './events/planning-consumer.ts';
import { analyticsConsumer } from './events/consume.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildAnalyticsSchema } from './schema/index.ts';
import { createAnalyticsServices, type AnalyticsServices } from './services/index.ts';

export const analytics: SubgraphDefinition<PrismaClient, AnalyticsServices, AnalyticsSettings> = {
  name: 'analytics',
  port: 4006,
  config: analyticsConfig,
  migrationsDir: 'prisma/analytics/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildAnalyticsSchema,
  services: createAnalyticsServices,
  consumers: () => [analyticsConsumer([iamRoute, ordersRoute, planningRoute, billingRoute])],
};

runSubgraphMain(import.meta.url, analytics);
