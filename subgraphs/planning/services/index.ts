import { unitOfWork, type UnitOfWork } from '../../platform/events/unit-of-work.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import { createWorkerPool, type WorkerPool } from '../../platform/worker.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export interface PlanningServices {
  /** How route, stop and plan commands commit: state and outbox rows in one transaction, then the relay woken. */
  commit: UnitOfWork<Prisma.TransactionClient>;
  /** Where optimizeRoutes, planDay and replanDay run: a bounded number of threads (OPTIMIZER_WORKERS). */
  optimizer: WorkerPool;
}

export const createPlanningServices = async (deps: SubgraphDeps<PrismaClient>): Promise<PlanningServices> => ({
  commit: unitOfWork<Prisma.TransactionClient>(deps.db, deps.events.outbox),
  optimizer: createWorkerPool({ size: deps.config.optimizer.workers, queueLimit: deps.config.optimizer.queueLimit, queueTimeoutMs: deps.config.optimizer.queueTimeoutMs, busyReason: 'OPTIMIZER_BUSY' }),
});
