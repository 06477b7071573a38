import type { Logger } from '../../platform/logger.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { AuditSettings } from '../config.ts';
import { pruneExpired, type PruneResult } from './retention.ts';

export interface AuditServices {
  settings: AuditSettings;
  /** Prunes what retention allows (every organization, or one); runs every AUDIT_PRUNE_EVERY_MS (an hour), and on an admin's request. */
  prune(options?: { now?: Date; orgId?: string }): Promise<PruneResult>;
  close(): void;
}

export async function createAuditServices(deps: SubgraphDeps<PrismaClient, AuditSettings>): Promise<AuditServices> {
  const { settings, db, logger } = deps;
  const prune: AuditServices['prune'] = ({ now = new Date(), orgId } = {}) =>
    pruneExpired(db, { now, orgId, retentionDays: settings.retentionDays, logger });
  const timer = setInterval(() => void runPrune(prune, logger), settings.pruneEveryMs);
  timer.unref();
  return { settings, prune, close: () => clearInterval(timer) };
}

async function runPrune(prune: () => Promise<PruneResult>, logger: Logger) {
  try {
    const { pruned } = await prune();
    if (pruned) logger.info('audit entries past retention pruned', { pruned });
  } catch (error) {
    logger.warn('audit pruning failed; will retry', { error: (error as Error).message });
  }
}
