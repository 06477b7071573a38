import type { OutboxRelay } from '../../kernel/events/outbox.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createBillingMetrics, type BillingMetrics } from './metrics.ts';

export interface BillingServices {
  /** Told after every commit that wrote events, so they leave at once instead of at the next poll. */
  outbox: Pick<OutboxRelay, 'notify'>;
  metrics: BillingMetrics;
  /** Rate cards with a version in force now, across every organization (readiness). */
  activeRateCards(): Promise<number>;
}

export const createBillingServices = async (deps: SubgraphDeps<PrismaClient>): Promise<BillingServices> => ({
  outbox: deps.events.outbox,
  metrics: createBillingMetrics(),
  activeRateCards: () => {
    const now = new Date();
    return deps.db.rateCard.count({ where: { versions: { some: { effectiveFrom: { lte: now }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: now } }] } } } });
  },
});
