import type { SqlExecutor } from '../../platform/events/sql.ts';
import type { PoolEntry } from '../domain/pool.ts';

/**
 * A new order joins its organization's pool, in one statement: every order pays for this, and the
 * ORM's upsert costs several times the CPU of the same SQL (docs/performance.md, round four). A
 * redelivered order (after its inbox row was pruned) only refreshes its customer, as before.
 */
export async function poolOrder(sql: SqlExecutor, orgId: string, e: PoolEntry): Promise<void> {
  await sql.query(
    `INSERT INTO "PlanningOrder" ("orderId", "orgId", "customerId", "reference", "pickupLat", "pickupLon", "dropoffLine1",
       "dropoffCity", "dropoffLat", "dropoffLon", "weightKg", "volumeM3", "windowStart", "windowEnd", "createdAt")
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11::numeric, $12::numeric, $13::timestamptz, $14::timestamptz, $15::timestamptz)
     ON CONFLICT ("orderId") DO UPDATE SET "customerId" = EXCLUDED."customerId"`,
    [
      e.orderId, orgId, e.customerId, e.reference, e.pickupLat, e.pickupLon, e.dropoffLine1,
      e.dropoffCity, e.dropoffLat, e.dropoffLon, e.weightKg, e.volumeM3, e.windowStart, e.windowEnd, e.createdAt,
    ],
  );
}
