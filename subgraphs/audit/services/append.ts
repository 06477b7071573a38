import type { SqlExecutor } from '../../platform/events/sql.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { entryHash, GENESIS_HASH, type EntryContent } from '../domain/chain.ts';
import type { EntryFacts } from '../domain/entry-facts.ts';

/**
 * Makes sure the organization's chain exists and locks its head for the rest of the transaction:
 * every append and every prune goes through this row, one at a time per organization.
 */
export async function lockChain(sql: SqlExecutor, orgId: string) {
  // One round trip: creates the row the first time, and either way the no-op update locks it
  // until commit (what SELECT … FOR UPDATE would do), returning the head as it stands.
  const [head] = await sql.query<{ headSequence: bigint | string | number; headHash: string; prunedThrough: bigint | string | number; anchorHash: string }>(
    `INSERT INTO "AuditChain" ("orgId", "headHash", "anchorHash") VALUES ($1, $2, $2)
     ON CONFLICT ("orgId") DO UPDATE SET "orgId" = EXCLUDED."orgId"
     RETURNING "headSequence", "headHash", "prunedThrough", "anchorHash"`,
    [orgId, GENESIS_HASH],
  );
  return { headSequence: BigInt(head!.headSequence), headHash: head!.headHash, prunedThrough: BigInt(head!.prunedThrough), anchorHash: head!.anchorHash };
}

/** Appends one entry at the head of its organization's chain, inside the caller's transaction. */
export async function appendEntry(sql: SqlExecutor, facts: EntryFacts, now: Date): Promise<{ sequence: bigint; hash: string }> {
  const head = await lockChain(sql, facts.orgId);
  const sequence = head.headSequence + 1n;
  const content: EntryContent = { ...facts, id: uuidv7(now.getTime()), sequence, recordedAt: now };
  const hash = entryHash(content, head.headHash);
  // The entry and the new head in one statement: this is the consumer's hot path (a Prisma create
  // plus update cost twice the time; scripts/bench-audit.ts measures it).
  await sql.query(
    `WITH entry AS (
       INSERT INTO "AuditEntry" ("id", "orgId", "sequence", "eventId", "eventType", "source", "subject", "occurredAt", "recordedAt", "actorId", "actorRoles",
                                 "entityType", "entityId", "relatedIds", "operation", "outcome", "requestId", "traceparent", "data", "prevHash", "hash")
       VALUES ($1::uuid, $2, $3::bigint, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz, $10, $11::text[], $12, $13, $14::text[], $15, $16, $17, $18, $19::jsonb, $20, $21)
       RETURNING 1)
     UPDATE "AuditChain" SET "headSequence" = $3::bigint, "headHash" = $21, "updatedAt" = $9::timestamptz WHERE "orgId" = $2`,
    [
      content.id, content.orgId, sequence.toString(), content.eventId, content.eventType, content.source, content.subject,
      content.occurredAt.toISOString(), now.toISOString(), content.actorId, content.actorRoles, content.entityType, content.entityId,
      content.relatedIds, content.operation, content.outcome, content.requestId, content.traceparent, JSON.stringify(content.data), head.headHash, hash,
    ],
  );
  return { sequence, hash };
}
