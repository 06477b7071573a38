import type { OutboxRelay } from '../../kernel/events/outbox.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

export interface BillingServices {
  /** Told after every commit that wrote events, so they leave at once instead of at the next poll. */
  outbox: Pick<OutboxRelay, 'notify'>;
}

export const createBillingServices = async (deps: SubgraphDeps<PrismaClient>): Promise<BillingServices> => ({ outbox: deps.events.outbox });
