import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { AnalyticsSettings } from '../config.ts';

export interface AnalyticsServices {
  /** The longest range a KPI query may span (ANALYTICS_MAX_RANGE_DAYS). */
  maxRangeDays: number;
}

export const createAnalyticsServices = async (deps: SubgraphDeps<PrismaClient, AnalyticsSettings>): Promise<AnalyticsServices> => ({
  maxRangeDays: deps.settings.maxRangeDays,
});
