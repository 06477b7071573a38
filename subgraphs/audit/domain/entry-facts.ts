import { isMutationRecord, MutationExecutedSchema } from '../../kernel/audit/mutation-contract.ts';
import type { EventEnvelope } from '../../platform/events/envelope.ts';
import { storableJson, storableText } from '../../platform/events/storable-json.ts';
import type { EntryContent } from './chain.ts';

/** What an entry records of one event, before it gets its place in the chain. */
export type EntryFacts = Omit<EntryContent, 'id' | 'sequence' | 'recordedAt'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_KEY = /Ids?$/;
const MAX_RELATED = 200;

/**
 * Turns any event into audit facts. Nothing is refused: an unknown type, or a payload that breaks
 * its contract, is still recorded as it came. `aggregates` names the aggregate of each known type;
 * for the others it is read from the type (`voidtracker.<domain>.<aggregate>.<event>.vN`).
 */
export function entryFacts(envelope: EventEnvelope, aggregates: ReadonlyMap<string, string>): EntryFacts {
  const base: EntryFacts = {
    orgId: envelope.orgid,
    eventId: envelope.id,
    eventType: envelope.type,
    source: envelope.source,
    subject: envelope.subject,
    occurredAt: new Date(envelope.time),
    // The caller whose request caused the event, as the producer stamped it (platform/events/actor.ts).
    actorId: envelope.actorid ? storableText(envelope.actorid) : null,
    actorRoles: envelope.actorroles ? envelope.actorroles.split(',').filter(Boolean).map(storableText) : [],
    entityType: aggregates.get(envelope.type) ?? aggregateOf(envelope.type),
    entityId: envelope.subject,
    relatedIds: [],
    operation: null,
    outcome: null,
    requestId: null,
    traceparent: envelope.traceparent ?? null,
    // A plain, storable JSON copy: what is hashed is exactly what the database will give back, and a
    // NUL or lone surrogate from any producer is recorded (as U+FFFD) rather than refused by jsonb.
    data: storableJson(envelope.data ?? null),
  };
  const mutation = isMutationRecord(envelope.type) ? MutationExecutedSchema.safeParse(envelope.data) : undefined;
  if (!mutation?.success) return { ...base, relatedIds: relatedIds(base.data, base.entityId) };
  const m = mutation.data;
  return {
    ...base,
    actorId: m.actor?.userId ?? null,
    actorRoles: m.actor?.roles ?? [],
    entityType: m.entity?.type ?? null,
    entityId: m.entity?.id ?? null,
    relatedIds: relatedIds(m.arguments, m.entity?.id ?? null),
    operation: m.field,
    outcome: m.outcome === 'OK' ? 'OK' : m.errorCodes.join(',') || 'ERROR',
    requestId: m.requestId,
  };
}

/** `voidtracker.billing.rate_card.created.v1` → `RateCard`. */
export function aggregateOf(type: string): string | null {
  const segment = type.split('.')[2];
  return segment ? segment.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') : null;
}

/**
 * The other entities an entry is about: every UUID under a key ending in Id or Ids, at any depth
 * (route.planned's stops[].orderId, invoice.issued's orderIds), so Order.auditTrail finds them.
 */
export function relatedIds(data: unknown, except: string | null): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, idKey: boolean) => {
    if (found.size >= MAX_RELATED) return;
    if (typeof value === 'string') {
      if (idKey && UUID.test(value) && value !== except) found.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, idKey);
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) visit(v, ID_KEY.test(key));
    }
  };
  visit(data, false);
  return [...found].sort();
}
