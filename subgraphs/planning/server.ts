import { planningConfig, type PlanningSettings } from './config.ts';
import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { iamRoute } from './events/iam-consumer.ts';
import { ordersRoutes } from './events/orders-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildPlanningSchema } from './schema/index.ts';
import { createPlanningServices, type PlanningServices } from './services/index.ts';

export const planning: SubgraphDefinition<PrismaClient, PlanningServices, PlanningSettings> = {
  name: 'planning',
  port: 4003,
  config: planningConfig,
  migrationsDir: 'prisma/planning/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildPlanningSchema,
  services: createPlanningServices,
  consumers: (deps) => [
    {
      name: 'planning',
      routes: [...ordersRoutes(deps.logger.child({ consumer: 'orders' })), iamRoute],
      // The pool a dispatcher plans from may be a fifth of a second behind the orders placed; under traffic a fetch brings many.
      gatherMs: 200,
    },
  ],
};

runSubgraphMain(import.meta.url, planning);
