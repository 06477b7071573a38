import { fromWireMessage, toWireMessage, validateEnvelope, type EventEnvelope, type WireMessage } from './envelope.ts';
import { withEventTrace } from './trace.ts';

/** What a producer hands the transport; the key defaults to the envelope's subject. */
export interface OutgoingRecord {
  key?: string;
  envelope: EventEnvelope;
}

export interface DeliveryMeta {
  topic: string;
  partition: number;
  offset: string;
  /** 1 on first delivery in this process, then 2, 3, … while retrying. */
  attempt: number;
  group: string;
}

export type EventHandler = (envelope: EventEnvelope, meta: DeliveryMeta) => Promise<void>;

/** Where a batch comes from: consecutive records of one partition, in offset order. */
export interface BatchMeta {
  topic: string;
  partition: number;
  group: string;
}

/**
 * All or nothing over consecutive records of one partition (one database transaction, say).
 * Throwing makes the transport take the batch apart: each record then goes through `handle`
 * alone, with its retries, so a poison record is dead-lettered by itself.
 */
export type BatchHandler = (envelopes: EventEnvelope[], meta: BatchMeta) => Promise<void>;

/** Records one batch holds at most (a fetch may bring more; they go in several batches). */
export const MAX_BATCH = 100;

export interface BackoffOptions {
  /** Delay before the 2nd attempt. Default 100 ms. */
  initialMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Cap. Default 5 000 ms. */
  maxMs?: number;
}

export interface SubscribeOptions {
  /** Consumer group: every group sees every record; members of one group split the partitions. */
  group: string;
  topics: readonly string[];
  handle: EventHandler;
  /** When set, records that arrive together are handed over together first (see BatchHandler). */
  handleBatch?: BatchHandler;
  /** Attempts before the record goes to `<topic>.dlq`. Default 5. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /**
   * Where a group with nothing committed begins: 'earliest' (default) replays what the topic
   * retains; 'latest' sees only records published after it joined (live listeners, e.g. the
   * gateway's subscriptions, that must not replay history); `{ sinceMs }` replays what was
   * published since that time (the deny-list's recent past). The bus, which holds nothing older
   * than its process, reads `{ sinceMs }` as 'earliest'.
   */
  startAt?: 'earliest' | 'latest' | { sinceMs: number };
  /**
   * The event types the subscriber acts on. A record of another type (by its `ce_type` header) is
   * passed over and committed without being decoded: mutation records and other domains' events on
   * a topic cost a consumer that ignores them no parsing and no handler call. Default: every type.
   */
  accepts?(type: string): boolean;
  /**
   * After applying what one fetch brought, wait this long before fetching again, so the events
   * published meanwhile are applied together (one fetch, one transaction) rather than one by one.
   * For readers that may lag a little (the audit log, analytics): under steady traffic it divides
   * their cost per event, and it bounds their delay. The first event after a quiet spell is not
   * delayed. Default 0: fetch again at once.
   */
  gatherMs?: number;
}

export interface Subscription {
  readonly group: string;
  /** Leaves the group after the record in hand; the rest goes to the remaining members. */
  close(): Promise<void>;
}

/** A record as stored on a topic (used for dead-letter listing and replay). */
export interface StoredRecord extends WireMessage {
  topic: string;
  partition: number;
  offset: string;
}

export interface TransportStats {
  published: number;
  /** Handler calls that succeeded. */
  handled: number;
  /** Handler calls that failed and were tried again. */
  retried: number;
  deadLettered: number;
}

/**
 * Where events travel: Kafka, or the in-process bus with the same semantics (per-key order,
 * consumer groups, at-least-once with redelivery, dead letters).
 */
export interface EventTransport {
  readonly kind: 'bus' | 'kafka';
  /** Resolves once every record is durably accepted; per key, in the order given. */
  publish(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  /** Resolves once the member has joined its group (a new group starts where `startAt` says). */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Every retained record of a topic, per partition in offset order, without joining a group. */
  read(topic: string): Promise<StoredRecord[]>;
  /** Records the topic retains (0 for a topic that does not exist). */
  size(topic: string): Promise<number>;
  /** Records of `topics` the group has not yet processed (consumer lag). */
  lag(group: string, topics: readonly string[]): Promise<number>;
  /** Counters since the transport was created (a snapshot). */
  stats(): TransportStats;
  close(): Promise<void>;
}

/** Failed records of `<topic>` go to `<topic>.dlq`; the `dlq-group` header says which group gave up. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
export const isDeadLetterTopic = (topic: string): boolean => topic.endsWith('.dlq');

export const DLQ_HEADERS = {
  error: 'dlq-error',
  attempts: 'dlq-attempts',
  group: 'dlq-group',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  failedAt: 'dlq-failed-at',
} as const;

export const DEFAULT_MAX_ATTEMPTS = 5;

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { initialMs = 100, factor = 2, maxMs = 5_000 } = options;
  return Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
}

export class DeliveryAborted extends Error {
  override name = 'DeliveryAborted';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DeliveryAborted('subscription closing'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DeliveryAborted('subscription closing'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wait of `gatherMs` (SubscribeOptions), paced by the member's fetches. */
export interface GatherPause {
  /** A fetch begins (it may long-poll). */
  fetching(): void;
  /** A batch of that fetch is applied: wait until `ms` after the fetch began; closing (`signal`) ends the wait. */
  pause(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * Fetches at most one per `ms` while events keep coming. The batches of one fetch are applied back
 * to back and only the first waits (the later ones find the time passed); a fetch that waited
 * longer than `ms` for its first event is applied at once.
 */
export function gatherPause(clock: () => number = Date.now): GatherPause {
  let fetchedAt = -Infinity;
  return {
    fetching() {
      fetchedAt = clock();
    },
    async pause(ms, signal) {
      const wait = fetchedAt + ms - clock();
      if (wait > 0 && !signal.aborted) await sleep(wait, signal).catch(() => {});
    },
  };
}

export type DeliveryOutcome = { ok: true } | { ok: false; deadLetter: WireMessage };

/**
 * One record through one handler: decode, then up to maxAttempts tries with backoff. Success →
 * ok (the caller commits). Exhausted or undecodable → the dead letter to publish (then commit).
 * Throws DeliveryAborted when the subscription closes mid-retry: the record stays uncommitted.
 */
export async function deliver(
  record: StoredRecord,
  options: SubscribeOptions,
  signal: AbortSignal,
  hooks: { onRetry(): void; onHandled(): void; beforeAttempt?(): Promise<void> },
): Promise<DeliveryOutcome> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  let envelope: EventEnvelope;
  try {
    envelope = fromWireMessage(record);
  } catch (error) {
    // A malformed record never gets better: straight to the dead letters.
    return { ok: false, deadLetter: deadLetterOf(record, options.group, error, 0) };
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (signal.aborted) throw new DeliveryAborted('subscription closing');
    if (attempt > 1) {
      hooks.onRetry();
      await sleep(backoffDelay(attempt - 1, options.backoff), signal);
    }
    await hooks.beforeAttempt?.();
    const meta: DeliveryMeta = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      attempt,
      group: options.group,
    };
    try {
      await withEventTrace(envelope, { topic: record.topic, group: options.group, attempt }, () =>
        options.handle(envelope, meta),
      );
      hooks.onHandled();
      return { ok: true };
    } catch (error) {
      lastError = error;
    }
  }
  return { ok: false, deadLetter: deadLetterOf(record, options.group, lastError, maxAttempts) };
}

/**
 * Consecutive records of one partition: through `handleBatch` at once when the subscriber has
 * one, else (or when the batch fails) one by one through `deliver`. After each step `settle` gets
 * the last record it covered and the dead letters to publish before committing past it (the
 * caller does both). Throws DeliveryAborted as deliver does: what is not settled comes again.
 */
export async function deliverBatch(
  records: readonly StoredRecord[],
  options: SubscribeOptions,
  signal: AbortSignal,
  hooks: { onRetry(): void; onHandled(): void; beforeAttempt?(): Promise<void> },
  settle: (last: StoredRecord, deadLetters: WireMessage[]) => Promise<void>,
): Promise<void> {
  if (!records.length) return;
  const last = records[records.length - 1]!;
  const { accepts } = options;
  // A record without the header is decoded as before, so a malformed one is still dead-lettered.
  const wanted = accepts ? records.filter((r) => r.headers['ce_type'] === undefined || accepts(r.headers['ce_type'])) : records;
  for (let i = wanted.length; i < records.length; i++) hooks.onHandled();
  if (!wanted.length) return settle(last, []);
  return deliverWanted(wanted, options, signal, hooks, settle, last);
}

async function deliverWanted(
  records: readonly StoredRecord[],
  options: SubscribeOptions,
  signal: AbortSignal,
  hooks: { onRetry(): void; onHandled(): void; beforeAttempt?(): Promise<void> },
  settle: (last: StoredRecord, deadLetters: WireMessage[]) => Promise<void>,
  /** The fetched batch's last record, which may be one passed over: settled last. */
  last: StoredRecord,
): Promise<void> {
  if (options.handleBatch && records.length > 1) {
    const envelopes: EventEnvelope[] = [];
    const malformed: WireMessage[] = [];
    for (const record of records) {
      try {
        envelopes.push(fromWireMessage(record));
      } catch (error) {
        // A malformed record never gets better: straight to the dead letters.
        malformed.push(deadLetterOf(record, options.group, error, 0));
      }
    }
    if (signal.aborted) throw new DeliveryAborted('subscription closing');
    let applied = false;
    try {
      await hooks.beforeAttempt?.();
      const first = records[0]!;
      await options.handleBatch(envelopes, { topic: first.topic, partition: first.partition, group: options.group });
      applied = true;
    } catch {
      // Nothing of the batch committed: find the culprit by going one record at a time below.
    }
    if (applied) {
      for (let i = 0; i < envelopes.length; i++) hooks.onHandled();
      await settle(last, malformed);
      return;
    }
  }
  for (const record of records) {
    const outcome = await deliver(record, options, signal, hooks);
    await settle(record, outcome.ok ? [] : [outcome.deadLetter]);
  }
  if (records[records.length - 1] !== last) await settle(last, []);
}

/** The original key, value and headers, plus why and where it failed. */
export function deadLetterOf(record: StoredRecord, group: string, error: unknown, attempts: number): WireMessage {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DLQ_HEADERS.error]: message.slice(0, 2_000),
      [DLQ_HEADERS.attempts]: String(attempts),
      [DLQ_HEADERS.group]: group,
      [DLQ_HEADERS.topic]: record.topic,
      [DLQ_HEADERS.partition]: String(record.partition),
      [DLQ_HEADERS.offset]: record.offset,
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}

export const emptyStats = (): TransportStats => ({ published: 0, handled: 0, retried: 0, deadLettered: 0 });

/** Validates and encodes what a producer hands over; a bad envelope never reaches a topic. */
export function encodeRecords(records: readonly OutgoingRecord[]): WireMessage[] {
  return records.map((r) => {
    validateEnvelope(r.envelope);
    return toWireMessage(r.envelope, r.key ?? r.envelope.subject);
  });
}
