import { randomUUID } from 'node:crypto';
import { Kafka, logLevel as KafkaLogLevel, Partitioners, type Admin, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { normalizeHeaders, type RawHeaders, type WireMessage } from './envelope.ts';
import { fixKafkaIdleTimers } from './kafka-idle-fix.ts';
import { offsetCommits } from './offset-commits.ts';
import {
  deadLetterTopic,
  deliverBatch,
  MAX_BATCH,
  emptyStats,
  encodeRecords,
  gatherPause,
  isDeadLetterTopic,
  type EventTransport,
  type OutgoingRecord,
  type StoredRecord,
  type SubscribeOptions,
  type Subscription,
} from './transport.ts';

export interface KafkaTransportOptions {
  brokers: readonly string[];
  clientId?: string;
  /** Created (with their `.dlq`) at start; topics first used later are created on first use. */
  topics?: readonly string[];
  /** For topics this transport creates. Default 3. */
  partitions?: number;
  /** For topics this transport creates. Default 1 (single broker); 3 on a real cluster. */
  replicationFactor?: number;
  logger?: Logger;
  /** kafkajs's own log, forwarded to `logger`. Default 'error'; 'nothing' silences it. */
  kafkaLogLevel?: 'nothing' | 'error' | 'warn';
  consumer?: {
    sessionTimeoutMs?: number;
    heartbeatIntervalMs?: number;
    /**
     * Long-poll wait of an idle fetch; data arriving ends it early, so this only sets how often an
     * idle member asks again (and how long leaving the group may wait for the fetch in hand). Default 3 000 ms.
     */
    maxWaitTimeMs?: number;
    /**
     * How often a member commits its positions (and once more when it leaves): a commit per
     * batch would be a broker request per batch per group. Default 1 000 ms (offset-commits.ts).
     */
    commitIntervalMs?: number;
    /** Partitions one member processes at once (each still in order). Default 1. */
    partitionsConsumedConcurrently?: number;
    /** How long subscribe() waits for the group join. Default 60 s. */
    joinTimeoutMs?: number;
  };
}

export interface KafkaTransport extends EventTransport {
  readonly kind: 'kafka';
  /** Creates missing topics and their dead-letter topics (idempotent). */
  ensureTopics(topics: readonly string[]): Promise<void>;
  /** Sends already encoded messages as they are (tests use it for malformed records). */
  publishRaw(topic: string, messages: readonly WireMessage[]): Promise<void>;
}

/** A kafkajs message as the transport hands it on: text key and value, headers as strings. */
function storedRecord(topic: string, partition: number, message: KafkaMessage): StoredRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers: normalizeHeaders(message.headers as RawHeaders | undefined),
  };
}

const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR']);

const LOG_LEVELS = { nothing: KafkaLogLevel.NOTHING, error: KafkaLogLevel.ERROR, warn: KafkaLogLevel.WARN } as const;

/**
 * Kafka through kafkajs. Idempotent producer, acks from all in-sync replicas, one in flight
 * (so retries cannot reorder). Consumers take what a fetch brought per partition in batches
 * (eachBatch): a batch goes to the subscriber's handleBatch (or record by record), and only then is
 * its last offset resolved; positions are committed once a second and on leaving; a record that keeps failing is retried
 * in-process with backoff and then written to `<topic>.dlq` and committed, so it does not block
 * the records behind it.
 */
export async function createKafkaTransport(options: KafkaTransportOptions): Promise<KafkaTransport> {
  // Before any connection exists: kafkajs's idle connections would otherwise spin a 1 ms timer each.
  fixKafkaIdleTimers();
  const logger = options.logger;
  const level = LOG_LEVELS[options.kafkaLogLevel ?? 'error'];
  const kafka = new Kafka({
    clientId: options.clientId ?? 'voidtracker',
    brokers: [...options.brokers],
    logLevel: logger ? level : KafkaLogLevel.NOTHING,
    logCreator: () => (entry) => {
      const fields = { kafkajs: entry.namespace, ...entry.log };
      if (entry.level <= KafkaLogLevel.ERROR) logger?.error(entry.log.message, fields);
      else logger?.warn(entry.log.message, fields);
    },
    connectionTimeout: 5_000,
  });
  const partitions = Math.max(1, options.partitions ?? 3);
  const replicationFactor = Math.max(1, options.replicationFactor ?? 1);
  const consumerOptions = options.consumer ?? {};
  const stats = emptyStats();
  const subscriptions = new Set<Subscription>();
  const ensured = new Map<string, Promise<void>>();

  const admin: Admin = kafka.admin();
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await admin.connect();
  try {
    await producer.connect();
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  let closed = false;

  const ensureTopics = async (topics: readonly string[]) => {
    const wanted = [...new Set(topics.flatMap((t) => (isDeadLetterTopic(t) ? [t] : [t, deadLetterTopic(t)])))];
    const missing = wanted.filter((t) => !ensured.has(t));
    if (missing.length) {
      const creation = admin
        .createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
          waitForLeaders: true,
        })
        .then(() => undefined);
      for (const t of missing) {
        ensured.set(
          t,
          creation.catch((error) => {
            ensured.delete(t);
            throw error;
          }),
        );
      }
    }
    await Promise.all(wanted.map((t) => ensured.get(t)));
  };

  const sendRaw = async (topic: string, messages: readonly WireMessage[]) => {
    if (!messages.length) return;
    await ensureTopics([topic]);
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
  };

  /**
   * Asking kafkajs's admin for offsets of a topic that does not exist makes it retry for seconds
   * and then keep the name in its metadata targets, so look first.
   */
  const exists = async (topic: string) => ensured.has(topic) || (await admin.listTopics()).includes(topic);

  const consumerFor = (groupId: string): Consumer =>
    kafka.consumer({
      groupId,
      sessionTimeout: consumerOptions.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: consumerOptions.heartbeatIntervalMs ?? 3_000,
      maxWaitTimeInMs: consumerOptions.maxWaitTimeMs ?? 3_000,
      allowAutoTopicCreation: false,
    });

  /** Resolves on the member's first GROUP_JOIN: from then on its partitions are assigned. */
  const joined = (consumer: Consumer) => {
    let remove: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = consumerOptions.joinTimeoutMs ?? 60_000;
    const promise = new Promise<void>((resolve, reject) => {
      remove = consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      timer = setTimeout(() => reject(new Error(`consumer did not join its group within ${timeoutMs} ms`)), timeoutMs);
    });
    return promise.finally(() => {
      remove?.();
      clearTimeout(timer);
    });
  };

  const transport: KafkaTransport = {
    kind: 'kafka',
    ensureTopics,
    publishRaw: sendRaw,
    async publish(topic: string, records: readonly OutgoingRecord[]) {
      if (closed) throw new Error('kafka transport is closed');
      await sendRaw(topic, encodeRecords(records));
      stats.published += records.length;
    },
    async subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
      if (closed) throw new Error('kafka transport is closed');
      const topics = [...subscribeOptions.topics];
      await ensureTopics(topics);
      const consumer = consumerFor(subscribeOptions.group);
      const abort = new AbortController();
      const gather = gatherPause();
      consumer.on(consumer.events.FETCH_START, () => gather.fetching());
      const join = joined(consumer);
      join.catch(() => {});
      // Batches being handled (one per partition taken at once), which closing waits for.
      const inFlight = new Set<Promise<void>>();
      const commits = offsetCommits(
        (offsets) => consumer.commitOffsets(offsets),
        consumerOptions.commitIntervalMs ?? 1_000,
        (error) => {
          // A rebalance took the partitions: their next owner resumes from the last commit and the inbox skips what was handled.
          const rebalanced = REBALANCE_ERRORS.has((error as { type?: string }).type ?? '');
          logger?.[rebalanced ? 'info' : 'warn']('kafka offset commit failed; those records may come again', { group: subscribeOptions.group, error: (error as Error).message });
        },
      );
      // kafkajs restarts after retriable crashes by itself; say so when it gives up, or the group goes quiet.
      consumer.on(consumer.events.CRASH, ({ payload }) =>
        logger?.error('kafka consumer crashed', {
          group: subscribeOptions.group,
          error: payload.error.message,
          restarting: payload.restart,
        }),
      );
      const startAt = subscribeOptions.startAt;
      if (typeof startAt === 'object') {
        // A group with nothing committed yet may be placed before it joins: at each partition's
        // first record published at or after the time (its end when there is none).
        for (const t of topics) {
          // A topic created a moment ago may not have its leaders known yet: those errors are retriable.
          const offsets = await retryingRetriable(() => admin.fetchTopicOffsetsByTimestamp(t, startAt.sinceMs));
          await retryingRetriable(() => admin.setOffsets({ groupId: subscribeOptions.group, topic: t, partitions: offsets }));
        }
      }
      await consumer.connect();
      try {
        await consumer.subscribe({ topics, fromBeginning: startAt !== 'latest' });
        await consumer.run({
          // Positions are committed by `commits`, on an interval, not by kafkajs after every batch.
          autoCommit: false,
          partitionsConsumedConcurrently: consumerOptions.partitionsConsumedConcurrently ?? 1,
          eachBatchAutoResolve: false,
          eachBatch: ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            const handling = (async () => {
              const { topic, partition } = batch;
              const records = batch.messages.map((message) => storedRecord(topic, partition, message));
              for (let start = 0; start < records.length; start += MAX_BATCH) {
                // Stopping, or a rebalance took the partition: what is not resolved comes again.
                if (!isRunning() || isStale()) return;
                // Throwing (DeliveryAborted, a failed dead-letter write) leaves the rest unresolved:
                // kafkajs seeks back and those records come again.
                await deliverBatch(
                  records.slice(start, start + MAX_BATCH),
                  subscribeOptions,
                  abort.signal,
                  {
                    onRetry: () => void stats.retried++,
                    onHandled: () => void stats.handled++,
                    beforeAttempt: () => heartbeat().catch(() => {}),
                  },
                  async (last, deadLetters) => {
                    if (deadLetters.length) {
                      await sendRaw(deadLetterTopic(topic), deadLetters);
                      stats.deadLettered += deadLetters.length;
                      for (const letter of deadLetters) {
                        logger?.warn('event dead-lettered', {
                          topic,
                          group: subscribeOptions.group,
                          offset: letter.headers['dlq-original-offset'],
                          error: letter.headers['dlq-error'],
                        });
                      }
                    }
                    resolveOffset(last.offset);
                    commits.handled(topic, partition, last.offset);
                  },
                );
                await heartbeat().catch(() => {});
              }
              await gather.pause(subscribeOptions.gatherMs ?? 0, abort.signal);
            })();
            // Closing waits for the batches in hand, so their positions are in the last commit.
            const settled = handling.catch(() => {}).finally(() => inFlight.delete(settled));
            inFlight.add(settled);
            return handling;
          },
        });
        await join;
      } catch (error) {
        await consumer.disconnect().catch(() => {});
        throw error;
      }
      let closing: Promise<void> | undefined;
      const subscription: Subscription = {
        group: subscribeOptions.group,
        close: () =>
          (closing ??= (async () => {
            abort.abort();
            subscriptions.delete(subscription);
            await Promise.all(inFlight);
            await commits.flush();
            await consumer.disconnect();
          })()),
      };
      subscriptions.add(subscription);
      return subscription;
    },
    async read(topic: string) {
      if (!(await exists(topic))) return [];
      const ends = await retryingRetriable(() => admin.fetchTopicOffsets(topic));
      const pending = new Map(
        ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high) - 1]),
      );
      if (!pending.size) return [];
      // kafkajs has no manual assignment: a throwaway group reads from the start and is deleted.
      const groupId = `voidtracker-read-${randomUUID()}`;
      const consumer = consumerFor(groupId);
      const records: StoredRecord[] = [];
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 60_000);
          void consumer
            .run({
              autoCommit: false,
              eachMessage: async ({ partition, message }) => {
                const last = pending.get(partition);
                if (last === undefined) return;
                records.push(storedRecord(topic, partition, message));
                if (Number(message.offset) >= last) pending.delete(partition);
                if (!pending.size) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect().catch(() => {});
        await admin.deleteGroups([groupId]).catch(() => {});
      }
      return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
    },
    async size(topic: string) {
      if (!(await exists(topic))) return 0;
      const ends = await admin.fetchTopicOffsets(topic);
      return ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    },
    async lag(group: string, topics: readonly string[]) {
      const present: string[] = [];
      for (const topic of topics) if (await exists(topic)) present.push(topic);
      if (!present.length) return 0;
      let lag = 0;
      const committed = await admin.fetchOffsets({ groupId: group, topics: present });
      for (const topic of present) {
        const ends = await admin.fetchTopicOffsets(topic);
        const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          // -1: the group never committed here; it will start at the earliest retained record.
          const at = Number(mine.find((p) => p.partition === end.partition)?.offset ?? -1);
          lag += Number(end.high) - (at >= 0 ? Math.max(at, Number(end.low)) : Number(end.low));
        }
      }
      return lag;
    },
    stats: () => ({ ...stats }),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.close()));
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    },
  };
  if (options.topics?.length) {
    try {
      await ensureTopics(options.topics);
    } catch (error) {
      await transport.close();
      throw error;
    }
  }
  return transport;
}

/** Leadership moves right after a topic is created or a broker restarts; Kafka marks such errors retriable. */
async function retryingRetriable<T>(work: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
