import type { EventEnvelope } from '../../platform/events/envelope.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import type { FactWrite } from '../domain/facts.ts';

/**
 * Applies fact writes (domain/facts.ts) to the read models, inside the caller's transaction.
 * Every statement is an upsert whose result does not depend on what was applied before, so a
 * duplicate or a late event changes nothing it should not. A row belongs to the tenant that
 * created it: an event of another organization naming the same id updates nothing.
 */
export async function applyFacts(tx: SqlExecutor, facts: readonly FactWrite[]): Promise<void> {
  for (const fact of facts) await APPLY[fact.kind](tx, fact as never);
}

type Apply<K extends FactWrite['kind']> = (tx: SqlExecutor, fact: Extract<FactWrite, { kind: K }>) => Promise<unknown>;

const APPLY: { [K in FactWrite['kind']]: Apply<K> } = {
  order: (tx, f) =>
    tx.query(
      `INSERT INTO "OrderFact" ("orderId", "orgId", "customerId", "createdAt", "weightKg", "windowStart", "windowEnd")
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::numeric, $6::timestamptz, $7::timestamptz)
       ON CONFLICT ("orderId") DO UPDATE SET
         "customerId" = EXCLUDED."customerId", "createdAt" = EXCLUDED."createdAt", "weightKg" = EXCLUDED."weightKg",
         "windowStart" = EXCLUDED."windowStart", "windowEnd" = EXCLUDED."windowEnd"
       WHERE "OrderFact"."orgId" = EXCLUDED."orgId"`,
      [f.orderId, f.orgId, f.customerId, f.createdAt, f.weightKg, f.windowStart, f.windowEnd],
    ),

  delivered: (tx, f) => latestInstant(tx, 'deliveredAt', f),
  cancelled: (tx, f) => latestInstant(tx, 'cancelledAt', f),

  failed: (tx, f) =>
    tx.query(
      `INSERT INTO "FailureFact" ("stopId", "orgId", "orderId", "routeId", "failedAt")
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::timestamptz) ON CONFLICT ("stopId") DO NOTHING`,
      [f.stopId, f.orgId, f.orderId, f.routeId, f.at],
    ),

  quote: (tx, f) =>
    tx.query(
      `INSERT INTO "OrderFact" ("orderId", "orgId", "customerId", "quoteTotal", "quoteCurrency", "quoteDistanceKm", "quoteAt", "quoteEventId")
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::numeric, $5, $6::numeric, $7::timestamptz, $8)
       ON CONFLICT ("orderId") DO UPDATE SET
         "customerId" = COALESCE("OrderFact"."customerId", EXCLUDED."customerId"),
         "quoteTotal" = EXCLUDED."quoteTotal", "quoteCurrency" = EXCLUDED."quoteCurrency",
         "quoteDistanceKm" = EXCLUDED."quoteDistanceKm", "quoteAt" = EXCLUDED."quoteAt", "quoteEventId" = EXCLUDED."quoteEventId"
       WHERE "OrderFact"."orgId" = EXCLUDED."orgId"
         AND ("OrderFact"."quoteAt" IS NULL OR ("OrderFact"."quoteAt", "OrderFact"."quoteEventId") < (EXCLUDED."quoteAt", EXCLUDED."quoteEventId"))`,
      [f.orderId, f.orgId, f.customerId, f.total, f.currency, f.distanceKm, f.version.at, f.version.eventId],
    ),

  route: async (tx, f) => {
    // Only the newest plan of a route counts: its row and its stops are replaced together.
    const replaced = await tx.query(
      `INSERT INTO "RouteFact" ("routeId", "orgId", "vehicleId", "date", "distanceKm", "stops", "plannedAt", "plannedEventId")
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::numeric, $6::int, $7::timestamptz, $8)
       ON CONFLICT ("routeId") DO UPDATE SET
         "vehicleId" = EXCLUDED."vehicleId", "date" = EXCLUDED."date", "distanceKm" = EXCLUDED."distanceKm",
         "stops" = EXCLUDED."stops", "plannedAt" = EXCLUDED."plannedAt", "plannedEventId" = EXCLUDED."plannedEventId"
       WHERE "RouteFact"."orgId" = EXCLUDED."orgId"
         AND ("RouteFact"."plannedAt", "RouteFact"."plannedEventId") < (EXCLUDED."plannedAt", EXCLUDED."plannedEventId")
       RETURNING "routeId"`,
      [f.routeId, f.orgId, f.vehicleId, f.date, f.distanceKm, f.orderIds.length, f.version.at, f.version.eventId],
    );
    if (!replaced.length) return;
    await tx.query(`DELETE FROM "RouteStopFact" WHERE "routeId" = $1::uuid`, [f.routeId]);
    if (!f.orderIds.length) return;
    await tx.query(
      `INSERT INTO "RouteStopFact" ("routeId", "orderId", "orgId")
       SELECT $1::uuid, o::uuid, $2::uuid FROM unnest(string_to_array($3, ',')) AS o`,
      [f.routeId, f.orgId, f.orderIds.join(',')],
    );
  },

  invoice: (tx, f) =>
    tx.query(
      `INSERT INTO "InvoiceFact" ("invoiceId", "orgId", "number", "kind", "customerId", "currency", "subtotal", "tax", "total", "issuedAt", "paidAt", "voidedAt")
       VALUES ($1::uuid, $2::uuid, $3, $4, $5::uuid, $6, $7::numeric, $8::numeric, $9::numeric, $10::timestamptz, $11::timestamptz, $12::timestamptz)
       ON CONFLICT ("invoiceId") DO UPDATE SET
         "issuedAt" = GREATEST("InvoiceFact"."issuedAt", EXCLUDED."issuedAt"),
         "paidAt" = GREATEST("InvoiceFact"."paidAt", EXCLUDED."paidAt"),
         "voidedAt" = GREATEST("InvoiceFact"."voidedAt", EXCLUDED."voidedAt")
       WHERE "InvoiceFact"."orgId" = EXCLUDED."orgId"`,
      [f.invoiceId, f.orgId, f.number, f.invoiceKind, f.customerId, f.currency, f.subtotal, f.tax, f.total, f.issuedAt, f.paidAt, f.voidedAt],
    ),

  organization: (tx, f) =>
    tx.query(
      `INSERT INTO "OrganizationFact" ("orgId", "name", "slug") VALUES ($1::uuid, $2, $3)
       ON CONFLICT ("orgId") DO UPDATE SET "name" = EXCLUDED."name", "slug" = EXCLUDED."slug"`,
      [f.orgId, f.name, f.slug],
    ),
};

/** Sets an instant that happens once per order; GREATEST ignores NULL and commutes. */
const latestInstant = (tx: SqlExecutor, column: 'deliveredAt' | 'cancelledAt', f: { orgId: string; orderId: string; at: string }) =>
  tx.query(
    `INSERT INTO "OrderFact" ("orderId", "orgId", "${column}") VALUES ($1::uuid, $2::uuid, $3::timestamptz)
     ON CONFLICT ("orderId") DO UPDATE SET "${column}" = GREATEST("OrderFact"."${column}", EXCLUDED."${column}")
     WHERE "OrderFact"."orgId" = EXCLUDED."orgId"`,
    [f.orderId, f.orgId, f.at],
  );

/** Keeps analytics' durable copy of a consumed envelope (the embedded mode's replay source). */
export const recordEvent = (tx: SqlExecutor, topic: string, envelope: EventEnvelope) =>
  tx.query(
    `INSERT INTO "EventLog" ("eventId", "topic", "type", "orgId", "time", "envelope")
     VALUES ($1, $2, $3, $4, $5::timestamptz, $6::jsonb) ON CONFLICT ("eventId") DO NOTHING`,
    [envelope.id, topic, envelope.type, envelope.orgid, envelope.time, JSON.stringify(envelope)],
  );

/** The read models a rebuild empties (the event log and the inbox stay). */
export const READ_MODEL_TABLES = ['OrderFact', 'FailureFact', 'RouteFact', 'RouteStopFact', 'InvoiceFact', 'OrganizationFact'] as const;
