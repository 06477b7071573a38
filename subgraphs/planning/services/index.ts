import type { OutboxRelay } from '../../kernel/events/outbox.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

export interface PlanningServices {
  /** Told after every commit that wrote events, so they leave at once instead of at the next poll. */
  outbox: Pick<OutboxRelay, 'notify'>;
}

export const createPlanningServices = async (deps: SubgraphDeps<PrismaClient>): Promise<PlanningServices> => ({
  outbox: deps.events.outbox,
});
