/** Test and benchmark support: an analytics database of its own, migrated, with its Prisma client. */
import { openScratchDatabase, type ScratchDatabase } from '../kernel/db/scratch.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { analytics } from './server.ts';

export type AnalyticsDb = ScratchDatabase<PrismaClient>;

/** PGlite in memory, or a fresh database on the PostgreSQL server at `postgresUrl` (dropped on close). */
export const openAnalyticsDb = (postgresUrl?: string): Promise<AnalyticsDb> => openScratchDatabase(analytics, postgresUrl);
