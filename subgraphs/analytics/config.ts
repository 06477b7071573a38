import { z } from 'zod';
import { configSlice } from '../platform/config.ts';

/** Analytics' own settings (the kernel parses them at start: SubgraphDefinition.config). */
export const analyticsConfig = configSlice(
  z.object({
    ANALYTICS_MAX_RANGE_DAYS: z.coerce.number().int().positive().max(3660).default(366).describe('The widest date range one KPI query accepts (a leap year).'),
  }),
  (e) => ({
    /** Longest `range` a KPI query accepts. */
    maxRangeDays: e.ANALYTICS_MAX_RANGE_DAYS,
  }),
);

export type AnalyticsSettings = ReturnType<typeof analyticsConfig.settings>;
