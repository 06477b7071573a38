import type { OutboxRelay } from '../../kernel/events/outbox.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import { createWorkerPool, type WorkerPool } from '../../kernel/worker.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

export interface PlanningServices {
  /** Told after every commit that wrote events, so they leave at once instead of at the next poll. */
  outbox: Pick<OutboxRelay, 'notify'>;
  /** Where optimizeRoutes, planDay and replanDay run: a bounded number of threads (OPTIMIZER_WORKERS). */
  optimizer: WorkerPool;
}

export const createPlanningServices = async (deps: SubgraphDeps<PrismaClient>): Promise<PlanningServices> => ({
  outbox: deps.events.outbox,
  optimizer: createWorkerPool({ size: deps.config.optimizer.workers, queueLimit: deps.config.optimizer.queueLimit, queueTimeoutMs: deps.config.optimizer.queueTimeoutMs, busyReason: 'OPTIMIZER_BUSY' }),
});
