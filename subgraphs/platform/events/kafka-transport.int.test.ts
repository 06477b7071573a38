import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireBroker, brokerSource } from '../../../scripts/kafka/harness.ts';
import { createKafkaTransport, type KafkaTransport } from './kafka-transport.ts';
import { eventually, OrderCreated, ORG, runId } from './testing/test-support.ts';
import { transportSuite } from './testing/transport.suite.ts';

const source = await brokerSource();
// Under CI a missing broker must fail, not skip: the suites run and the beforeAll below throws.
const skipReason = source.missing && !source.inCi ? source.missing : undefined;
let broker: { brokers: string[]; stop(): Promise<void> } | undefined;

// One broker for the whole file (the hooks of both blocks below run inside these).
beforeAll(async () => {
  if (skipReason === undefined) broker = await acquireBroker(source);
}, 10 * 60_000);
afterAll(async () => {
  await broker?.stop();
  broker = undefined;
}, 60_000);

transportSuite([
  {
    name: `Kafka (${source.external.length ? `KAFKA_BROKERS=${source.external.join(',')}` : 'broker started by scripts/kafka/broker.ts'})`,
    skipReason: () => skipReason,
    create: async () => createKafkaTransport({ brokers: broker!.brokers, clientId: 'events-suite', partitions: 3 }),
    publishRaw: (transport, topic, messages) => (transport as KafkaTransport).publishRaw(topic, messages),
  },
]);

describe.skipIf(skipReason !== undefined)('Kafka transport specifics', () => {
  it('given topics in the options, when the transport starts (twice), then each topic and its .dlq exist with the configured partitions', async () => {
    // Given
    const topics = [`t-created-${runId()}`, `t-created-${runId()}`];

    // When: the second start finds them existing, which is fine
    const list = broker!.brokers;
    const first = await createKafkaTransport({ brokers: list, topics, partitions: 4 });
    await first.close();
    const second = await createKafkaTransport({ brokers: list, topics, partitions: 4 });
    await second.close();

    // Then
    const admin = new Kafka({ brokers: list, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics, ...topics.map((t) => `${t}.dlq`)] });
      expect(metadata.topics.map((t) => t.partitions.length)).toEqual([4, 4, 4, 4]);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('given a member that handled records and leaves before its next periodic commit, then its positions are committed as it leaves', async () => {
    // Given: commits far apart, so only the one made on leaving can cover the records
    const transport = await createKafkaTransport({ brokers: broker!.brokers, clientId: 'commit-on-leave', partitions: 3, consumer: { commitIntervalMs: 10 * 60_000 } });
    const topic = `t-leave-${runId()}`;
    const group = `leave-${runId()}`;
    try {
      await transport.ensureTopics([topic]);
      const handled = new Set<string>();
      const sent = Array.from({ length: 6 }, (_, i) => OrderCreated.create({ orderId: `order-${i}`, seq: i }, { subject: `order-${i}`, orgId: ORG }));
      const member = await transport.subscribe({ group, topics: [topic], handle: async (e) => void handled.add(e.id) });
      await transport.publish(topic, sent.map((envelope) => ({ envelope })));
      await eventually('all six handled', async () => handled.size === 6);
      expect(await transport.lag(group, [topic])).toBe(6);

      // When
      await member.close();

      // Then
      expect(await transport.lag(group, [topic])).toBe(0);
    } finally {
      await transport.close();
    }
  }, 120_000);
});
