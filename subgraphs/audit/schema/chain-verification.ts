import { builder } from '../builder.ts';
import { AUDIT_READ_ROLES } from '../domain/access.ts';
import type { BrokenLink } from '../domain/chain.ts';
import { parseVerifyRange } from '../domain/log-filter.ts';
import { verifyChain, type ChainVerification } from '../services/verify.ts';
import { AuditDateRangeInput } from './audit-entry.ts';

const AuditChainBreakType = builder.enumType('AuditChainBreak', {
  values: {
    HASH_MISMATCH: { description: 'The entry’s content no longer matches its hash: it was edited.' },
    MISSING_ENTRY: { description: 'No entry has this sequence: it was deleted.' },
    PREVIOUS_MISMATCH: { description: 'The entry does not follow the one before: that one (or this link) was rewritten.' },
  } as const,
});

const AuditBrokenLinkType = builder.objectRef<BrokenLink>('AuditBrokenLink').implement({
  fields: (t) => ({
    sequence: t.float({ resolve: (b) => Number(b.sequence) }),
    entryId: t.id({ nullable: true, description: 'Null when the entry is missing.', resolve: (b) => b.entryId }),
    reason: t.field({ type: AuditChainBreakType, resolve: (b) => b.reason }),
  }),
});

const AuditChainVerificationType = builder.objectRef<ChainVerification>('AuditChainVerification').implement({
  description: 'The chain re-computed over a range: intact, or where it first breaks.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    checkedCount: t.exposeInt('checkedCount', { description: 'Entries re-hashed.' }),
    fromSequence: t.float({ nullable: true, description: 'The first sequence covered (the range clipped to what exists and was not pruned).', resolve: (v) => (v.fromSequence === null ? null : Number(v.fromSequence)) }),
    toSequence: t.float({ nullable: true, resolve: (v) => (v.toSequence === null ? null : Number(v.toSequence)) }),
    headSequence: t.float({ description: 'The newest sequence of the chain.', resolve: (v) => Number(v.headSequence) }),
    prunedThroughSequence: t.float({ description: 'Entries up to here were removed by retention; the rest links to their anchor.', resolve: (v) => Number(v.prunedThrough) }),
    firstBrokenLink: t.field({ type: AuditBrokenLinkType, nullable: true, resolve: (v) => v.firstBrokenLink }),
  }),
});

builder.queryFields((t) => ({
  verifyAuditChain: t.field({
    type: AuditChainVerificationType,
    description: 'Re-computes the organization’s chain over sequences and/or a time range (default: all of it). AUDITOR and ADMIN only.',
    authScopes: { anyRole: AUDIT_READ_ROLES },
    args: {
      fromSequence: t.arg.float(),
      toSequence: t.arg.float(),
      range: t.arg({ type: AuditDateRangeInput, description: 'Entries recorded in this range.' }),
    },
    resolve: (_root, args, ctx) => verifyChain(ctx.db, ctx.principal!.orgId, parseVerifyRange(args, ctx.services.settings.maxRangeDays)),
  }),
}));
