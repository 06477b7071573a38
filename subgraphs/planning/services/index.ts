import { unitOfWork, type UnitOfWork } from '../../platform/events/unit-of-work.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import { createWorkerPool, type WorkerPool } from '../../platform/worker.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { PlanningSettings } from '../config.ts';

export interface PlanningServices {
  /** How route, stop and plan commands commit: state and outbox rows in one transaction, then the relay woken. */
  commit: UnitOfWork<Prisma.TransactionClient>;
  /** Where optimizeRoutes, planDay and replanDay run: a bounded number of threads (OPTIMIZER_WORKERS). */
  optimizer: WorkerPool;
}

export const createPlanningServices = async (deps: SubgraphDeps<PrismaClient, PlanningSettings>): Promise<PlanningServices> => ({
  commit: unitOfWork<Prisma.TransactionClient>(deps.db, deps.events.outbox),
  optimizer: createWorkerPool({ size: deps.settings.optimizer.workers, queueLimit: deps.settings.optimizer.queueLimit, queueTimeoutMs: deps.settings.optimizer.queueTimeoutMs, busyReason: 'OPTIMIZER_BUSY' }),
});
