import { z } from 'zod';
import { configSlice } from '../platform/config.ts';

/** Audit's own settings (the kernel parses them at start: SubgraphDefinition.config). */
export const auditConfig = configSlice(
  z.object({
    AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(2555).describe('Audit entries older than this are pruned (about 7 years; the chain keeps an anchor).'),
    AUDIT_MAX_RANGE_DAYS: z.coerce.number().int().positive().default(366).describe('The widest date range one audit query accepts.'),
  }),
  (e) => ({
    /** Entries older than this are pruned; the chain keeps an anchor so it stays verifiable. */
    retentionDays: e.AUDIT_RETENTION_DAYS,
    /** Longest `range` an audit query accepts. */
    maxRangeDays: e.AUDIT_MAX_RANGE_DAYS,
  }),
);

export type AuditSettings = ReturnType<typeof auditConfig.settings>;
