import { z } from 'zod';
import { configSlice } from '../platform/config.ts';

/** Audit's own settings (the kernel parses them at start: SubgraphDefinition.config). */
export const auditConfig = configSlice(
  z.object({
    AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(2555).describe('Audit entries older than this are pruned (about 7 years; the chain keeps an anchor).'),
    AUDIT_MAX_RANGE_DAYS: z.coerce.number().int().positive().default(366).describe('The widest date range one audit query accepts.'),
    AUDIT_PRUNE_EVERY_MS: z
      .coerce.number()
      .int()
      .min(60_000)
      .max(7 * 24 * 3_600_000)
      .default(3_600_000)
      .describe('How often each audit process prunes entries past `AUDIT_RETENTION_DAYS` (1 hour; an admin can also prune at once).'),
  }),
  (e) => ({
    /** Entries older than this are pruned; the chain keeps an anchor so it stays verifiable. */
    retentionDays: e.AUDIT_RETENTION_DAYS,
    /** Longest `range` an audit query accepts. */
    maxRangeDays: e.AUDIT_MAX_RANGE_DAYS,
    /** Interval of the background prune. */
    pruneEveryMs: e.AUDIT_PRUNE_EVERY_MS,
  }),
);

export type AuditSettings = ReturnType<typeof auditConfig.settings>;
