import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { configSlice } from '../platform/config.ts';

/** Planning's own settings: the bounded pool route optimizations run in (platform/worker.ts). */
export const planningConfig = configSlice(
  z.object({
    OPTIMIZER_WORKERS: z.coerce.number().int().min(1).max(64).optional().describe('Optimizer threads at once per planning process. Unset: one fewer than the cores, at least 1, at most 4.'),
    OPTIMIZER_QUEUE_LIMIT: z
      .coerce.number()
      .int()
      .min(0)
      .max(1000)
      .default(4)
      .describe('Optimizations waiting for a thread; beyond it, and after waiting `OPTIMIZER_QUEUE_TIMEOUT_MS`, `RATE_LIMITED` with reason `OPTIMIZER_BUSY`.'),
    OPTIMIZER_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000).describe('How long an optimization may wait for a thread.'),
  }),
  (e) => ({
    optimizer: {
      /** Threads at once; by default one core stays free for the subgraph's own event loop (1..4). */
      workers: e.OPTIMIZER_WORKERS ?? Math.min(4, Math.max(1, availableParallelism() - 1)),
      /** Optimizations that may wait for a thread. */
      queueLimit: e.OPTIMIZER_QUEUE_LIMIT,
      /** How long one may wait before it is refused as busy. */
      queueTimeoutMs: e.OPTIMIZER_QUEUE_TIMEOUT_MS,
    },
  }),
);

export type PlanningSettings = ReturnType<typeof planningConfig.settings>;
