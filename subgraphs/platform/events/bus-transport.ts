import type { Logger } from '../logger.ts';
import type { WireMessage } from './envelope.ts';
import {
  deadLetterTopic,
  DeliveryAborted,
  deliverBatch,
  MAX_BATCH,
  emptyStats,
  encodeRecords,
  gatherPause,
  type EventTransport,
  type OutgoingRecord,
  type StoredRecord,
  type SubscribeOptions,
  type Subscription,
} from './transport.ts';

export interface BusTransportOptions {
  /** Partitions of every topic. Default 3. */
  partitions?: number;
  /**
   * Records kept per partition once every group has processed them (memory bound of the
   * embedded mode). Unprocessed records are never dropped. Default 10 000.
   */
  retainPerPartition?: number;
  logger?: Logger;
}

export interface BusTransport extends EventTransport {
  readonly kind: 'bus';
  /** Appends an already encoded message as is (tests use it to inject malformed records). */
  publishRaw(topic: string, messages: readonly WireMessage[]): void;
}

interface Partition {
  /** Offset of records[0]; grows as old records are trimmed. */
  base: number;
  records: StoredRecord[];
}

interface Member {
  readonly seq: number;
  readonly options: SubscribeOptions;
  readonly abort: AbortController;
  inFlight: Set<Promise<unknown>>;
}

interface Group {
  readonly name: string;
  members: Member[];
  /** Next offset to process, per topic and partition. */
  offsets: Map<string, number[]>;
  workers: Set<string>;
}

/** FNV-1a over the key's UTF-8 bytes: stable across runs and processes. */
export function partitionFor(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/**
 * The embedded default: Kafka's semantics in one process. Topics have N partitions, the key
 * picks the partition, each consumer group keeps its own offsets and processes a partition one
 * record at a time (so per-key order holds), members of a group split the partitions, failures
 * are retried with backoff and then dead-lettered, and a new group starts at the earliest record.
 */
export function createBusTransport(options: BusTransportOptions = {}): BusTransport {
  const partitionCount = Math.max(1, options.partitions ?? 3);
  const retain = Math.max(0, options.retainPerPartition ?? 10_000);
  const topics = new Map<string, Partition[]>();
  const groups = new Map<string, Group>();
  const wakers = new Map<string, Set<() => void>>();
  const stats = emptyStats();
  let memberSeq = 0;
  let closed = false;

  const topic = (name: string): Partition[] => {
    let partitions = topics.get(name);
    if (!partitions) {
      partitions = Array.from({ length: partitionCount }, () => ({ base: 0, records: [] }));
      topics.set(name, partitions);
    }
    return partitions;
  };

  const wake = (topicName?: string) => {
    for (const [name, set] of wakers) {
      if (topicName !== undefined && name !== topicName) continue;
      for (const resolve of set) resolve();
    }
  };

  const waitFor = (topicName: string) =>
    new Promise<void>((resolve) => {
      let set = wakers.get(topicName);
      if (!set) wakers.set(topicName, (set = new Set()));
      const done = () => {
        set.delete(done);
        resolve();
      };
      set.add(done);
    });

  const append = (topicName: string, messages: readonly WireMessage[]) => {
    const partitions = topic(topicName);
    for (const message of messages) {
      const partition = partitionFor(message.key, partitionCount);
      const log = partitions[partition]!;
      const offset = log.base + log.records.length;
      log.records.push({ ...message, topic: topicName, partition, offset: String(offset) });
    }
    trim(topicName);
    wake(topicName);
  };

  /** Drops records every group has processed, beyond the retention count. */
  const trim = (topicName: string) => {
    const partitions = topics.get(topicName)!;
    partitions.forEach((log, p) => {
      const excess = log.records.length - retain;
      if (excess <= 0) return;
      let processed = log.base + log.records.length;
      for (const group of groups.values()) {
        const offsets = group.offsets.get(topicName);
        if (offsets) processed = Math.min(processed, offsets[p]!);
      }
      const drop = Math.min(excess, processed - log.base);
      if (drop > 0) {
        log.records.splice(0, drop);
        log.base += drop;
      }
    });
  };

  /** Partition p of a topic belongs to one member of the group: round-robin by join order. */
  const ownerOf = (group: Group, topicName: string, partition: number): Member | undefined => {
    const candidates = group.members.filter((m) => m.options.topics.includes(topicName) && !m.abort.signal.aborted);
    return candidates.length ? candidates[partition % candidates.length] : undefined;
  };

  const runWorker = async (group: Group, topicName: string, partition: number) => {
    const log = topic(topicName)[partition]!;
    // Like a network consumer's fetch, which begins when the last batch is applied and may wait for a record.
    const gather = gatherPause();
    gather.fetching();
    while (!closed) {
      const offsets = group.offsets.get(topicName)!;
      const offset = Math.max(offsets[partition]!, log.base);
      const start = offset - log.base;
      const member = ownerOf(group, topicName, partition);
      if (start >= log.records.length || !member) {
        await waitFor(topicName);
        continue;
      }
      // What has arrived goes as one batch (a member with handleBatch applies it in one step).
      const batch = log.records.slice(start, start + MAX_BATCH);
      const delivery = deliverBatch(
        batch,
        member.options,
        member.abort.signal,
        { onRetry: () => void stats.retried++, onHandled: () => void stats.handled++ },
        async (last, deadLetters) => {
          if (deadLetters.length) {
            append(deadLetterTopic(topicName), deadLetters);
            stats.deadLettered += deadLetters.length;
            for (const letter of deadLetters) {
              options.logger?.warn('event dead-lettered', {
                topic: topicName,
                group: group.name,
                offset: letter.headers['dlq-original-offset'],
                error: letter.headers['dlq-error'],
              });
            }
          }
          // Committed only now: after success, or once the failure is safely dead-lettered.
          offsets[partition] = Number(last.offset) + 1;
        },
      );
      member.inFlight.add(delivery);
      try {
        await delivery;
      } catch (error) {
        // Closing mid-retry: leave the offset, the next owner gets the record again.
        if (!(error instanceof DeliveryAborted)) {
          options.logger?.error('event delivery failed', { topic: topicName, group: group.name, error: String(error) });
        }
      } finally {
        member.inFlight.delete(delivery);
      }
      await gather.pause(member.options.gatherMs ?? 0, member.abort.signal);
      // Let timers and I/O run between batches, as a network consumer would.
      await new Promise((resolve) => setImmediate(resolve));
      gather.fetching();
    }
  };

  const ensureWorkers = (group: Group, topicNames: readonly string[], startAt: SubscribeOptions['startAt']) => {
    for (const name of topicNames) {
      const partitions = topic(name);
      const start = (log: { base: number; records: unknown[] }) => (startAt === 'latest' ? log.base + log.records.length : log.base);
      if (!group.offsets.has(name)) group.offsets.set(name, partitions.map(start));
      partitions.forEach((_, p) => {
        const id = `${name}/${p}`;
        if (group.workers.has(id)) return;
        group.workers.add(id);
        void runWorker(group, name, p);
      });
    }
  };

  return {
    kind: 'bus',
    async publish(topicName: string, records: readonly OutgoingRecord[]) {
      if (closed) throw new Error('bus transport is closed');
      const messages = encodeRecords(records);
      append(topicName, messages);
      stats.published += messages.length;
    },
    publishRaw(topicName, messages) {
      append(topicName, messages);
    },
    async subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
      if (closed) throw new Error('bus transport is closed');
      let group = groups.get(subscribeOptions.group);
      if (!group) {
        group = { name: subscribeOptions.group, members: [], offsets: new Map(), workers: new Set() };
        groups.set(group.name, group);
      }
      const member: Member = {
        seq: memberSeq++,
        options: { ...subscribeOptions, topics: [...subscribeOptions.topics] },
        abort: new AbortController(),
        inFlight: new Set(),
      };
      group.members.push(member);
      ensureWorkers(group, member.options.topics, subscribeOptions.startAt);
      for (const name of member.options.topics) wake(name);
      const owner = group;
      let closing: Promise<void> | undefined;
      return {
        group: owner.name,
        close: () =>
          (closing ??= (async () => {
            member.abort.abort();
            owner.members = owner.members.filter((m) => m !== member);
            await Promise.allSettled([...member.inFlight]);
            // Rebalance: the partitions it held go to the remaining members.
            for (const name of member.options.topics) wake(name);
          })()),
      };
    },
    async read(topicName: string) {
      return (topics.get(topicName) ?? []).flatMap((log) => log.records.map((r) => ({ ...r, headers: { ...r.headers } })));
    },
    async size(topicName: string) {
      return (topics.get(topicName) ?? []).reduce((n, log) => n + log.records.length, 0);
    },
    async lag(groupName: string, topicNames: readonly string[]) {
      const group = groups.get(groupName);
      let lag = 0;
      for (const name of topicNames) {
        const offsets = group?.offsets.get(name);
        (topics.get(name) ?? []).forEach((log, p) => {
          const end = log.base + log.records.length;
          lag += end - Math.max(offsets?.[p] ?? log.base, log.base);
        });
      }
      return lag;
    },
    stats: () => ({ ...stats }),
    async close() {
      if (closed) return;
      const members = [...groups.values()].flatMap((g) => g.members);
      for (const m of members) m.abort.abort();
      await Promise.allSettled(members.flatMap((m) => [...m.inFlight]));
      closed = true;
      wake();
    },
  };
}
