import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { iamConsumer, IAM_TOPIC } from './events/iam-consumer.ts';
import { ordersConsumer, ORDERS_TOPIC } from './events/orders-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildPlanningSchema } from './schema/index.ts';
import { createPlanningServices, type PlanningServices } from './services/index.ts';

export const planning: SubgraphDefinition<PrismaClient, PlanningServices> = {
  name: 'planning',
  migrationsDir: 'prisma/planning/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildPlanningSchema,
  services: createPlanningServices,
  consumers: (deps) => {
    const orders = ordersConsumer(deps.db, deps.events.outbox, deps.logger.child({ consumer: 'orders' }));
    const iam = iamConsumer(deps.db);
    // One group over both topics (members of a Kafka group should share one subscription).
    return [{ topics: [ORDERS_TOPIC, IAM_TOPIC], handle: (envelope, meta) => (meta.topic === IAM_TOPIC ? iam(envelope) : orders(envelope)) }];
  },
};

runSubgraphMain(import.meta.url, planning);
