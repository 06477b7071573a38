import type { Database } from '../../platform/db/database.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { uuidv7 } from '../../platform/ids.ts';

/** One claimed attempt: what the dispatcher needs to send it. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  /** The tenant, whose share of the slots the attempt takes. */
  orgId: string;
  url: string;
  secret: string;
  body: string;
  attempts: number;
  failures: number;
}

export interface ClaimOptions {
  now: Date;
  limit: number;
  /** The row is the claimer's until then; a crash lets it lapse and the delivery is tried again. */
  leaseUntil: Date;
  /** Attempts this process has in flight per endpoint, and the most one endpoint may have. */
  endpointsInFlight: ReadonlyMap<string, number>;
  perEndpoint: number;
  /** Attempts this process has in flight per organization, and the most one organization may have. */
  tenantsInFlight: ReadonlyMap<string, number>;
  perTenant: number;
}

/**
 * Takes up to `limit` due deliveries of enabled endpoints and leases them, in one statement,
 * fairly: no endpoint beyond `perEndpoint` and no organization beyond `perTenant` attempts in
 * flight (counting those already running), and the free slots dealt round-robin across
 * organizations, the one with the fewest in flight first, so a tenant's backlog of slow or hung
 * endpoints never holds the slots another tenant's deliveries need.
 * SKIP LOCKED lets several subgraph processes claim side by side on PostgreSQL without waiting on
 * each other; the lease conditions are repeated after the lock because a row another process just
 * claimed must not be claimed again. (PGlite has one connection, so there the statement simply
 * runs alone.)
 */
export async function claimDue(db: Pick<Database, 'query'>, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  const rows = await db.query<{ id: string; endpointId: string; orgId: string; url: string; secret: string; body: string; attempts: number; failures: number }>(
    `WITH ep AS (SELECT * FROM unnest($4::uuid[], $5::int[]) AS ep("id", "n")),
     tn AS (SELECT * FROM unnest($6::text[], $7::int[]) AS tn("orgId", "n")),
     due AS (
       SELECT d."id", d."orgId", d."nextAttemptAt",
         row_number() OVER (PARTITION BY d."endpointId" ORDER BY d."nextAttemptAt", d."id") + COALESCE(ep."n", 0) AS "endpointSlot"
       FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId" LEFT JOIN ep ON ep."id" = d."endpointId"
       WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= $1 AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= $1) AND e."enabled"
     ), fair AS (
       SELECT due."id", row_number() OVER (PARTITION BY due."orgId" ORDER BY due."nextAttemptAt", due."id") + COALESCE(tn."n", 0) AS "tenantSlot"
       FROM due LEFT JOIN tn ON tn."orgId" = due."orgId"
       WHERE due."endpointSlot" <= $8
     ), picked AS (
       SELECT w."id" FROM "WebhookDelivery" w JOIN fair ON fair."id" = w."id"
       WHERE fair."tenantSlot" <= $9 AND w."status" = 'PENDING' AND (w."leaseUntil" IS NULL OR w."leaseUntil" <= $1)
       ORDER BY fair."tenantSlot", w."nextAttemptAt", w."id" LIMIT $2
       FOR UPDATE OF w SKIP LOCKED
     )
     UPDATE "WebhookDelivery" d SET "leaseUntil" = $3, "attempts" = d."attempts" + 1, "lastAttemptAt" = $1
     FROM picked, "WebhookEndpoint" e
     WHERE d."id" = picked."id" AND e."id" = d."endpointId"
     RETURNING d."id", d."endpointId", d."orgId", e."url", e."secret", d."body", d."attempts", d."failures"`,
    [
      o.now, o.limit, o.leaseUntil,
      [...o.endpointsInFlight.keys()], [...o.endpointsInFlight.values()],
      [...o.tenantsInFlight.keys()], [...o.tenantsInFlight.values()],
      o.perEndpoint, o.perTenant,
    ],
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts), failures: Number(r.failures) }));
}

/**
 * When the next pending delivery of an enabled endpoint becomes claimable (its retry time, or the
 * end of its lease when another attempt holds it); null when none waits. The dispatcher sleeps
 * until then instead of polling.
 */
export async function nextDueAt(db: Pick<Database, 'query'>): Promise<Date | null> {
  const [row] = await db.query<{ at: Date | string | null }>(
    `SELECT min(GREATEST(d."nextAttemptAt", COALESCE(d."leaseUntil", d."nextAttemptAt"))) AS "at"
     FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
     WHERE d."status" = 'PENDING' AND e."enabled"`,
  );
  return row?.at == null ? null : new Date(row.at);
}

export interface AttemptRecord {
  status: number | null;
  latencyMs: number;
  excerpt: string;
  at: Date;
}

/**
 * Records a successful attempt. Guarded by the attempt number it was claimed with: if its lease
 * lapsed and another attempt was claimed meanwhile, that newer attempt's outcome is the one kept.
 */
export async function recordDelivered(db: Pick<Database, 'query'>, d: ClaimedDelivery, r: AttemptRecord): Promise<void> {
  await db.query(
    `WITH done AS (
       UPDATE "WebhookDelivery" SET "status" = 'DELIVERED', "deliveredAt" = $2, "nextAttemptAt" = NULL, "leaseUntil" = NULL,
         "responseStatus" = $3, "latencyMs" = $4, "responseExcerpt" = $5
       WHERE "id" = $1 AND "attempts" = $6 AND "status" = 'PENDING' RETURNING "endpointId")
     UPDATE "WebhookEndpoint" SET "failingSince" = NULL WHERE "id" IN (SELECT "endpointId" FROM done) AND "failingSince" IS NOT NULL`,
    [d.id, r.at, r.status, r.latencyMs, r.excerpt, d.attempts],
  );
}

/** Records a failed attempt: the next try at `retryAt`, or (null) the delivery failed and its endpoint is failing. */
export async function recordFailed(db: Pick<Database, 'query'>, d: ClaimedDelivery, r: AttemptRecord, retryAt: Date | null): Promise<void> {
  await db.query(
    `WITH done AS (
       UPDATE "WebhookDelivery" SET "status" = $7::"WebhookDeliveryStatus", "failures" = "failures" + 1, "nextAttemptAt" = $2, "leaseUntil" = NULL,
         "responseStatus" = $3, "latencyMs" = $4, "responseExcerpt" = $5
       WHERE "id" = $1 AND "attempts" = $6 AND "status" = 'PENDING' RETURNING "endpointId")
     UPDATE "WebhookEndpoint" SET "failingSince" = COALESCE("failingSince", $8)
     WHERE $7 = 'FAILED' AND "id" IN (SELECT "endpointId" FROM done)`,
    [d.id, retryAt, r.status, r.latencyMs, r.excerpt, d.attempts, retryAt ? 'PENDING' : 'FAILED', r.at],
  );
}

/** Starts a delivery's schedule again from now, keeping its id (the receiver may deduplicate on it). */
export async function requeue(tx: SqlExecutor, deliveryId: string, now: Date): Promise<void> {
  await tx.query(
    `UPDATE "WebhookDelivery" SET "status" = 'PENDING', "failures" = 0, "nextAttemptAt" = $2, "leaseUntil" = NULL WHERE "id" = $1`,
    [deliveryId, now],
  );
}

/** Queues one delivery per endpoint, once per event: a redelivered event finds its rows already there. */
export async function insertDeliveries(
  tx: SqlExecutor,
  event: { id: string; type: string; orgId: string; body: string },
  endpointIds: readonly string[],
  now: Date,
): Promise<number> {
  let inserted = 0;
  for (const endpointId of endpointIds) {
    const rows = await tx.query(
      `INSERT INTO "WebhookDelivery" ("id", "endpointId", "orgId", "eventId", "eventType", "body", "nextAttemptAt", "createdAt")
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $7)
       ON CONFLICT ("endpointId", "eventId") DO NOTHING RETURNING "id"`,
      [uuidv7(now.getTime()), endpointId, event.orgId, event.id, event.type, event.body, now],
    );
    inserted += rows.length;
  }
  return inserted;
}
