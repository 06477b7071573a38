import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Orders keeps no long-lived resources yet; the event publisher plugs in here. */
export type OrdersServices = Record<string, never>;

export const createOrdersServices = async (_deps: SubgraphDeps<PrismaClient>): Promise<OrdersServices> => ({});
