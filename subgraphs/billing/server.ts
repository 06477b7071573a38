import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { iamConsumer, IAM_TOPIC } from './events/iam-consumer.ts';
import { ordersConsumer, ORDERS_TOPIC } from './events/orders-consumer.ts';
import { planningConsumer, PLANNING_TOPIC } from './events/planning-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildBillingSchema } from './schema/index.ts';
import { seedBilling } from './seed.ts';
import { createBillingServices, type BillingServices } from './services/index.ts';

export const billing: SubgraphDefinition<PrismaClient, BillingServices> = {
  name: 'billing',
  migrationsDir: 'prisma/billing/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildBillingSchema,
  services: createBillingServices,
  consumers: (deps, services) => {
    const handlers = {
      [IAM_TOPIC]: iamConsumer(deps.db),
      [ORDERS_TOPIC]: ordersConsumer(deps.db, deps.events.outbox, services.metrics, deps.logger.child({ consumer: 'orders' })),
      [PLANNING_TOPIC]: planningConsumer(deps.db, deps.events.outbox, services.metrics),
    };
    // One group over the three topics (members of a Kafka group should share one subscription).
    return [{ topics: Object.keys(handlers), handle: (envelope, meta) => handlers[meta.topic]?.(envelope) ?? Promise.resolve() }];
  },
  readiness: async (services) => ({ activeRateCards: await services.activeRateCards() }),
  metrics: (services) => services.metrics.text(),
  seed: seedBilling,
};

runSubgraphMain(import.meta.url, billing);
