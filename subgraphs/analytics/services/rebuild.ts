/**
 * Rebuilding the read models from scratch: empty them, then replay every event, either from
 * analytics' own event log (the embedded mode, where the bus keeps nothing durable) or from the
 * topics themselves with a fresh consumer group (Kafka). The projection is idempotent and
 * order-independent, so events the live consumer applies meanwhile do no harm: each is in the log
 * (or on its topic) and applying it twice changes nothing.
 */
import { eventParser } from '../../platform/events/contract.ts';
import type { EventEnvelope } from '../../platform/events/envelope.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import type { EventTransport } from '../../platform/events/transport.ts';
import { ANALYTICS_CONSUMES, factsOf, type AnalyticsEvent } from '../domain/facts.ts';
import { kpiFigures, type KpiFigures } from './figures.ts';
import { applyFacts, READ_MODEL_TABLES, recordEvent } from './projector.ts';
import type { ReadModelStore } from './store.ts';

export interface RebuildProgress {
  done: number;
  total: number;
  elapsedMs: number;
  /** Resident set size of this process now, and the most seen during the rebuild. */
  rssBytes: number;
  peakRssBytes: number;
}

export interface RebuildResult {
  events: number;
  seconds: number;
  peakRssBytes: number;
}

const parse = eventParser(Object.values(ANALYTICS_CONSUMES).flat());
const parseEvent = (envelope: EventEnvelope) => parse(envelope) as AnalyticsEvent | undefined;

/** Empties the read models, of every organization or of one (the event log and the inbox stay). */
export async function clearReadModels(store: ReadModelStore, orgId?: string): Promise<void> {
  if (!orgId) {
    await store.query(`TRUNCATE ${READ_MODEL_TABLES.map((t) => `"${t}"`).join(', ')}`);
    return;
  }
  await store.transaction(async (sql) => {
    for (const table of READ_MODEL_TABLES) await sql.query(`DELETE FROM "${table}" WHERE "orgId" = $1::uuid`, [orgId]);
  });
}

function progressMeter(total: () => number, onProgress?: (p: RebuildProgress) => void) {
  const started = performance.now();
  let done = 0;
  let peakRssBytes = process.memoryUsage.rss();
  const snapshot = (): RebuildProgress => {
    const rssBytes = process.memoryUsage.rss();
    peakRssBytes = Math.max(peakRssBytes, rssBytes);
    return { done, total: Math.max(total(), done), elapsedMs: performance.now() - started, rssBytes, peakRssBytes };
  };
  return {
    add(n: number) {
      done += n;
    },
    report: () => onProgress?.(snapshot()),
    result: (): RebuildResult => {
      const last = snapshot();
      onProgress?.(last);
      return { events: done, seconds: last.elapsedMs / 1000, peakRssBytes: last.peakRssBytes };
    },
  };
}

/**
 * Replays analytics' event log (of every organization, or of one) in consumption order, a batch
 * per transaction.
 */
export async function replayEventLog(
  store: ReadModelStore,
  options: { orgId?: string; batchSize?: number; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 500;
  // $1 is the organization or null for all; the log is small per row, the envelope is not read twice.
  const scope = `($1::text IS NULL OR "orgId" = $1::text)`;
  const orgId = options.orgId ?? null;
  const [logged] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EventLog" WHERE ${scope}`, [orgId]);
  const meter = progressMeter(() => logged?.n ?? 0, options.onProgress);
  await clearReadModels(store, options.orgId);
  // Keyset paging on seq: events logged while the replay runs are picked up at the end.
  for (let after = '0'; ; ) {
    const rows = await store.query<{ position: string; envelope: EventEnvelope }>(
      `SELECT "seq"::text AS position, "envelope" FROM "EventLog" WHERE ${scope} AND "seq" > $2::bigint ORDER BY "EventLog"."seq" LIMIT $3::int`,
      [orgId, after, batchSize],
    );
    if (!rows.length) break;
    await store.transaction(async (sql) => {
      for (const row of rows) {
        const event = parseEvent(row.envelope);
        if (event) await applyFacts(sql, factsOf(event));
      }
    });
    after = rows.at(-1)!.position;
    meter.add(rows.length);
    meter.report();
  }
  return meter.result();
}

/**
 * Replays the topics from their beginning with a consumer group of its own (on Kafka: kafkajs,
 * fromBeginning), logging and applying each event, until the group has no lag left.
 */
export async function replayTopics(
  store: ReadModelStore,
  transport: EventTransport,
  options: { topics: readonly string[]; group: string; onProgress?: (p: RebuildProgress) => void; pollMs?: number },
): Promise<RebuildResult> {
  let total = 0;
  for (const topic of options.topics) total += await transport.size(topic);
  const meter = progressMeter(() => total, options.onProgress);
  await clearReadModels(store);
  const subscription = await transport.subscribe({
    group: options.group,
    topics: options.topics,
    handle: async (envelope, meta) => {
      const event = parseEvent(envelope);
      if (event) {
        await store.transaction(async (sql) => {
          await recordEvent(sql, meta.topic, envelope);
          await applyFacts(sql, factsOf(event));
        });
      }
      meter.add(1);
    },
  });
  try {
    while ((await transport.lag(options.group, options.topics)) > 0) {
      meter.report();
      await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
    }
  } finally {
    await subscription.close();
  }
  return meter.result();
}

/** A range wide enough for any real data: the snapshot is of everything, by month. */
const ALL_TIME = { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') };

/** Every organization's figures, or one's (all time, by month, active months only), keyed by organization id. */
export async function snapshotFigures(sql: SqlExecutor, onlyOrgId?: string): Promise<Record<string, KpiFigures>> {
  const orgs = onlyOrgId
    ? [{ org_id: onlyOrgId }]
    : await sql.query<{ org_id: string }>(
        `SELECT "orgId"::text AS org_id FROM "OrderFact" UNION SELECT "orgId"::text FROM "RouteFact"
         UNION SELECT "orgId"::text FROM "InvoiceFact" UNION SELECT "orgId"::text FROM "FailureFact"
         UNION SELECT "orgId"::text FROM "OrganizationFact" ORDER BY 1`,
      );
  const out: Record<string, KpiFigures> = {};
  for (const { org_id } of orgs) out[org_id] = await kpiFigures(sql, { orgId: org_id, range: ALL_TIME, unit: 'month', topCustomers: 100, onlyActive: true });
  return out;
}

/** Where two snapshots differ, as readable paths ('<org>.totals.ordersCreated: 12 != 13'); empty when identical. */
export function compareSnapshots(before: Record<string, KpiFigures>, after: Record<string, KpiFigures>): string[] {
  const differences: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (differences.length >= 50) return;
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      return;
    }
    if (a !== b) differences.push(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
  };
  walk(before, after, '');
  return differences;
}

export interface OrganizationRebuild extends RebuildResult {
  /** The figures came out as they were before (all time, by month). */
  identical: boolean;
  differences: string[];
}

/**
 * Rebuilds one organization's read models from the event log while the subgraph keeps running,
 * and says whether its figures came out the same. Readers see partial figures meanwhile.
 */
export async function rebuildOrganization(store: ReadModelStore, orgId: string): Promise<OrganizationRebuild> {
  const before = await snapshotFigures(store, orgId);
  const result = await replayEventLog(store, { orgId });
  const differences = compareSnapshots(before, await snapshotFigures(store, orgId));
  return { ...result, identical: differences.length === 0, differences };
}
