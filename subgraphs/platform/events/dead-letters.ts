import { fromWireMessage, type EventEnvelope } from './envelope.ts';
import { deadLetterTopic, DLQ_HEADERS, isDeadLetterTopic, type EventTransport, type StoredRecord } from './transport.ts';

export interface DeadLetter {
  /** The record as it sits on `<topic>.dlq`. */
  record: StoredRecord;
  /** The original event; undefined when the record was malformed (see decodeError). */
  envelope: EventEnvelope | undefined;
  decodeError: string | undefined;
  error: string;
  attempts: number;
  group: string;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  failedAt: string;
}

export interface DeadLetterFilter {
  /** Only what this consumer group gave up on. */
  group?: string;
  /** Only these event ids. */
  eventIds?: readonly string[];
  /** Only records dead-lettered at or after this time. */
  since?: Date;
}

const dlqOf = (topic: string) => (isDeadLetterTopic(topic) ? topic : deadLetterTopic(topic));

function toDeadLetter(record: StoredRecord): DeadLetter {
  let envelope: EventEnvelope | undefined;
  let decodeError: string | undefined;
  try {
    envelope = fromWireMessage(record);
  } catch (error) {
    decodeError = (error as Error).message;
  }
  const h = record.headers;
  return {
    record,
    envelope,
    decodeError,
    error: h[DLQ_HEADERS.error] ?? '',
    attempts: Number(h[DLQ_HEADERS.attempts] ?? 0),
    group: h[DLQ_HEADERS.group] ?? '',
    originalTopic: h[DLQ_HEADERS.topic] ?? record.topic.replace(/\.dlq$/, ''),
    originalPartition: Number(h[DLQ_HEADERS.partition] ?? -1),
    originalOffset: h[DLQ_HEADERS.offset] ?? '',
    failedAt: h[DLQ_HEADERS.failedAt] ?? '',
  };
}

const matches = (d: DeadLetter, filter: DeadLetterFilter) =>
  (filter.group === undefined || d.group === filter.group) &&
  (filter.eventIds === undefined || (d.envelope !== undefined && filter.eventIds.includes(d.envelope.id))) &&
  (filter.since === undefined || (d.failedAt !== '' && new Date(d.failedAt) >= filter.since));

/** The dead letters of a topic (pass `voidtracker.orders` or `voidtracker.orders.dlq`), oldest first per partition. */
export async function listDeadLetters(
  transport: Pick<EventTransport, 'read'>,
  topic: string,
  filter: DeadLetterFilter = {},
): Promise<DeadLetter[]> {
  const records = await transport.read(dlqOf(topic));
  return records.map(toDeadLetter).filter((d) => matches(d, filter));
}

/** How many records sit on the topic's dead-letter topic (a gauge). */
export function deadLetterCount(transport: Pick<EventTransport, 'size'>, topic: string): Promise<number> {
  return transport.size(dlqOf(topic));
}

export interface ReplayResult {
  replayed: DeadLetter[];
  skipped: Array<{ deadLetter: DeadLetter; reason: string }>;
}

/**
 * Publishes matching dead letters' original events to their original topic again, once the cause
 * is fixed. Every group on that topic sees them again (inboxes dedupe the groups that had handled
 * them); they arrive after newer events of the same key. The dead-letter topic is append-only, so
 * narrow a second replay with `since` or `eventIds`. Malformed records cannot be replayed.
 */
export async function replayDeadLetters(
  transport: Pick<EventTransport, 'read' | 'publish'>,
  topic: string,
  filter: DeadLetterFilter & { dryRun?: boolean } = {},
): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: [], skipped: [] };
  const byTopic = new Map<string, DeadLetter[]>();
  const seen = new Set<string>();
  for (const d of await listDeadLetters(transport, topic, filter)) {
    if (!d.envelope) {
      result.skipped.push({ deadLetter: d, reason: `malformed: ${d.decodeError}` });
      continue;
    }
    // Several groups may have dead-lettered the same event: publishing it once serves them all.
    const id = `${d.originalTopic}\u0000${d.envelope.id}`;
    if (seen.has(id)) {
      result.skipped.push({ deadLetter: d, reason: 'duplicate of an event already replayed' });
      continue;
    }
    seen.add(id);
    byTopic.set(d.originalTopic, [...(byTopic.get(d.originalTopic) ?? []), d]);
  }
  for (const [original, letters] of byTopic) {
    if (!filter.dryRun) {
      await transport.publish(
        original,
        letters.map((d) => ({ key: d.record.key, envelope: d.envelope! })),
      );
    }
    result.replayed.push(...letters);
  }
  return result;
}
