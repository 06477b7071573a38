import type { Database } from '../../platform/db/database.ts';
import { pruneInbox } from '../../platform/events/inbox.ts';

/**
 * Deletes finished deliveries (delivered or failed) created before `olderThan`, and inbox rows as
 * old: the queue then holds what is pending plus a window an admin can still look at and
 * redeliver. Pending deliveries are never deleted, however old.
 */
export async function pruneFinished(database: Pick<Database, 'query'>, olderThan: Date): Promise<{ deliveries: number; inbox: number }> {
  const rows = await database.query(
    `DELETE FROM "WebhookDelivery" WHERE "status" IN ('DELIVERED', 'FAILED') AND "createdAt" < $1 RETURNING "id"`,
    [olderThan],
  );
  return { deliveries: rows.length, inbox: await pruneInbox(database, olderThan) };
}
