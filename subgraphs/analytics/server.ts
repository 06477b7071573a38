import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { billingConsumer, BILLING_TOPIC } from './events/billing-consumer.ts';
import { iamConsumer, IAM_TOPIC } from './events/iam-consumer.ts';
import { ordersConsumer, ORDERS_TOPIC } from './events/orders-consumer.ts';
import { planningConsumer, PLANNING_TOPIC } from './events/planning-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildAnalyticsSchema } from './schema/index.ts';
import { createAnalyticsServices, type AnalyticsServices } from './services/index.ts';

export const analytics: SubgraphDefinition<PrismaClient, AnalyticsServices> = {
  name: 'analytics',
  migrationsDir: 'prisma/analytics/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildAnalyticsSchema,
  services: createAnalyticsServices,
  consumers: (deps) => {
    const handlers = {
      [IAM_TOPIC]: iamConsumer(deps.db),
      [ORDERS_TOPIC]: ordersConsumer(deps.db),
      [PLANNING_TOPIC]: planningConsumer(deps.db),
      [BILLING_TOPIC]: billingConsumer(deps.db),
    };
    // One group over the four topics (members of a Kafka group should share one subscription).
    return [{ topics: Object.keys(handlers), handle: (envelope, meta) => handlers[meta.topic]?.(envelope) ?? Promise.resolve() }];
  },
};

runSubgraphMain(import.meta.url, analytics);
