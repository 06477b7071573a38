import { unitOfWork, type UnitOfWork } from '../../platform/events/unit-of-work.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { createBillingMetrics, type BillingMetrics } from './metrics.ts';

export interface BillingServices {
  /** How invoice commands commit: state and outbox rows in one transaction, then the relay woken. */
  commit: UnitOfWork<Prisma.TransactionClient>;
  metrics: BillingMetrics;
  /** Rate cards with a version in force now, across every organization (readiness). */
  activeRateCards(): Promise<number>;
}

export const createBillingServices = async (deps: SubgraphDeps<PrismaClient>): Promise<BillingServices> => ({
  commit: unitOfWork<Prisma.TransactionClient>(deps.db, deps.events.outbox),
  metrics: createBillingMetrics(),
  activeRateCards: () => {
    const now = new Date();
    return deps.db.rateCard.count({ where: { versions: { some: { effectiveFrom: { lte: now }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: now } }] } } } });
  },
});
