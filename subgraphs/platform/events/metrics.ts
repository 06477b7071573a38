import type { OutboxRelay } from './outbox.ts';
import { deadLetterCount } from './dead-letters.ts';
import type { EventTransport, TransportStats } from './transport.ts';

export interface EventMetrics {
  /** Gauge: outbox rows not yet published (undefined without a relay). */
  outboxBacklog: number | undefined;
  /** Gauge: seconds the oldest unpublished outbox row has waited (undefined without a relay). */
  outboxOldestAge: number | undefined;
  /** Gauge per consumer group: records of its topics not yet processed. */
  consumerLag: Record<string, number>;
  /** Gauge per topic: records on `<topic>.dlq`. */
  deadLetters: Record<string, number>;
  /** Counters of this process's transport. */
  transport: TransportStats;
}

/**
 * One snapshot of the event numbers as plain values, for whatever exports metrics later.
 * Each call asks the database and the broker: poll it every few seconds, not per request.
 */
export async function collectEventMetrics(options: {
  transport: EventTransport;
  relay?: Pick<OutboxRelay, 'backlog' | 'oldestUnsentAge'>;
  /** Consumer groups and the topics each reads. */
  groups?: Record<string, readonly string[]>;
  /** Topics whose dead letters to count. */
  deadLetterTopics?: readonly string[];
}): Promise<EventMetrics> {
  const consumerLag: Record<string, number> = {};
  for (const [group, topics] of Object.entries(options.groups ?? {})) {
    consumerLag[group] = await options.transport.lag(group, topics);
  }
  const deadLetters: Record<string, number> = {};
  for (const topic of options.deadLetterTopics ?? []) {
    deadLetters[topic] = await deadLetterCount(options.transport, topic);
  }
  return {
    outboxBacklog: options.relay ? await options.relay.backlog() : undefined,
    outboxOldestAge: options.relay ? await options.relay.oldestUnsentAge() : undefined,
    consumerLag,
    deadLetters,
    transport: options.transport.stats(),
  };
}
