import { loadBatched } from '../../kernel/batching.ts';
import type { PrismaClient, Stop } from '../generated/prisma/client.ts';

/**
 * An order's current stop: the newest one that did not fail (a failed delivery sends the order
 * back to the pool, so the stop of its next route replaces it). Always inside the caller's tenant;
 * one query for every order the request asks about.
 */
export function currentStop(ctx: { db: PrismaClient }, orgId: string, orderId: string): Promise<Stop | null> {
  return loadBatched<Stop>(ctx, `current-stop:${orgId}`, orderId, async (orderIds) => {
    const stops = await ctx.db.stop.findMany({ where: { orgId, orderId: { in: orderIds }, status: { not: 'FAILED' } }, orderBy: { id: 'desc' } });
    const newest = new Map<string, Stop>();
    for (const s of stops) if (!newest.has(s.orderId)) newest.set(s.orderId, s);
    return newest;
  });
}
