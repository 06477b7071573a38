import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { planningRoute } from './events/planning-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildOrdersSchema } from './schema/index.ts';
import { createOrdersServices, type OrdersServices } from './services/index.ts';

export const orders: SubgraphDefinition<PrismaClient, OrdersServices> = {
  name: 'orders',
  port: 4002,
  migrationsDir: 'prisma/orders/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildOrdersSchema,
  services: createOrdersServices,
  consumers: (deps) => [{ name: 'orders', routes: [planningRoute(deps.logger.child({ consumer: 'planning' }))] }],
};

runSubgraphMain(import.meta.url, orders);
