import { prismaSql } from '../../platform/events/sql.ts';
import type { Logger } from '../../platform/logger.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { lockChain } from './append.ts';
import { verifyChain } from './verify.ts';

const DAY_MS = 86_400_000;

export interface PruneResult {
  /** Entries deleted, over all organizations. */
  pruned: number;
  /** Organizations whose expired entries were kept because their chain was broken there. */
  refused: string[];
}

/**
 * Deletes each organization's entries recorded before `now - retentionDays`, oldest first, and
 * keeps the hash of the last one deleted as the chain's anchor, so what remains still verifies.
 * The expired stretch is verified first: pruning never launders a broken link away.
 */
export async function pruneExpired(db: PrismaClient, options: { now: Date; retentionDays: number; orgId?: string; logger?: Logger }): Promise<PruneResult> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * DAY_MS);
  const result: PruneResult = { pruned: 0, refused: [] };
  for (const { orgId } of await db.auditChain.findMany({ where: options.orgId ? { orgId: options.orgId } : {}, select: { orgId: true }, orderBy: { orgId: 'asc' } })) {
    const outcome = await db.$transaction(
      async (tx) => {
        const head = await lockChain(prismaSql(tx), orgId);
        const last = await tx.auditEntry.findFirst({
          where: { orgId, recordedAt: { lt: cutoff }, sequence: { gt: head.prunedThrough } },
          orderBy: { sequence: 'desc' },
          select: { sequence: true, hash: true },
        });
        if (!last) return 0;
        const check = await verifyChain(tx, orgId, { toSequence: last.sequence });
        if (!check.ok) return 'refused' as const;
        const { count } = await tx.auditEntry.deleteMany({ where: { orgId, sequence: { lte: last.sequence } } });
        await tx.auditChain.update({ where: { orgId }, data: { prunedThrough: last.sequence, anchorHash: last.hash } });
        return count;
      },
      { timeout: 120_000 },
    );
    if (outcome === 'refused') {
      result.refused.push(orgId);
      options.logger?.error('audit chain broken in the expired range: nothing pruned', { orgId });
    } else result.pruned += outcome;
  }
  return result;
}
