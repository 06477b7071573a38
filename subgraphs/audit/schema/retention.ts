import { conflict } from '../../platform/errors.ts';
import { builder } from '../builder.ts';

interface PruneOutcome {
  pruned: number;
  prunedThrough: bigint;
  headSequence: bigint;
}

const AuditPruneResultType = builder.objectRef<PruneOutcome>('AuditPruneResult').implement({
  fields: (t) => ({
    pruned: t.exposeInt('pruned', { description: 'Entries deleted now.' }),
    prunedThroughSequence: t.float({ description: 'Everything up to here is gone; the next entry links to the anchor kept in its place.', resolve: (r) => Number(r.prunedThrough) }),
    headSequence: t.float({ resolve: (r) => Number(r.headSequence) }),
  }),
});

builder.mutationFields((t) => ({
  pruneAuditLog: t.field({
    type: AuditPruneResultType,
    description:
      'Applies retention to the organization’s log now (it also runs hourly): entries recorded more than AUDIT_RETENTION_DAYS ago are deleted, oldest first, and the chain keeps the hash of the last one as its anchor, so it still verifies. Refuses (CONFLICT) when the expired stretch does not verify. ADMIN only.',
    authScopes: { anyRole: ['ADMIN'] },
    resolve: async (_root, _args, ctx) => {
      const orgId = ctx.principal!.orgId;
      const { pruned, refused } = await ctx.services.prune({ orgId });
      if (refused.length) throw conflict('The audit chain is broken in the expired range; nothing was pruned. Run verifyAuditChain.');
      const chain = await ctx.db.auditChain.findUnique({ where: { orgId } });
      return { pruned, prunedThrough: chain?.prunedThrough ?? 0n, headSequence: chain?.headSequence ?? 0n };
    },
  }),
}));
