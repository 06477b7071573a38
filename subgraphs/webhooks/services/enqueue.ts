import type { EventEnvelope } from '../../platform/events/envelope.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { OrderCreated } from '../../orders/events/contracts.ts';
import { receives, type WebhookScope } from '../domain/access.ts';
import { ORDER_EVENT_TYPES } from '../domain/event-types.ts';
import { deliveryBody } from '../domain/payload.ts';
import { insertDeliveries } from './queue.ts';

/**
 * The consumer's effect, inside the transaction that marks the event handled: remembers each
 * order's customer, then queues one delivery for every enabled endpoint of the event's
 * organization that subscribed to its type (a partner's endpoint: only for its own orders).
 * Returns how many deliveries were queued.
 */
export async function enqueueDeliveries(sql: SqlExecutor, envelope: EventEnvelope, now: Date): Promise<number> {
  const orgId = envelope.orgid;
  if (OrderCreated.matches(envelope)) {
    const { data } = OrderCreated.parse(envelope);
    await sql.query(
      `INSERT INTO "WebhookOrder" ("orderId", "orgId", "customerId") VALUES ($1, $2, $3::uuid) ON CONFLICT ("orderId") DO NOTHING`,
      [data.orderId, orgId, data.customerId],
    );
  }
  const endpoints = await sql.query<{ id: string; scope: WebhookScope; ownerId: string }>(
    `SELECT "id", "scope"::text AS "scope", "ownerId"::text AS "ownerId" FROM "WebhookEndpoint"
     WHERE "orgId" = $1 AND "enabled" AND $2 = ANY("eventTypes")`,
    [orgId, envelope.type],
  );
  if (!endpoints.length) return 0;
  let customerId: string | undefined;
  if (endpoints.some((e) => e.scope === 'OWN_ORDERS') && ORDER_EVENT_TYPES.includes(envelope.type)) {
    const [order] = await sql.query<{ customerId: string }>(
      `SELECT "customerId"::text AS "customerId" FROM "WebhookOrder" WHERE "orderId" = $1 AND "orgId" = $2`,
      [envelope.subject, orgId],
    );
    customerId = order?.customerId;
  }
  const targets = endpoints.filter((e) => receives(e, customerId)).map((e) => e.id);
  if (!targets.length) return 0;
  return insertDeliveries(sql, { id: envelope.id, type: envelope.type, orgId, body: deliveryBody(envelope) }, targets, now);
}
