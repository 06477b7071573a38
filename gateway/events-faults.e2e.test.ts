/**
 * The faults the event pipeline must survive "with nothing lost, nothing applied twice, and order
 * per key kept", through the running graph: orders writes its events through its outbox, and a
 * downstream test consumer group applies one effect row per event with the library's inbox
 * (`handleOnce`) on its own PGlite. Its effect table has no uniqueness of its own, so a broken
 * guarantee shows up as a missing, doubled or reordered row. Each test also checks that its fault
 * really produced redeliveries, so it cannot pass by the fault silently not happening.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKafkaPrerequisites, startKafkaBroker, type KafkaBroker } from '../scripts/kafka/broker.ts';
import type { EventEnvelope } from '../subgraphs/platform/events/envelope.ts';
import { acquireBroker, brokerSource } from '../scripts/kafka/harness.ts';
import { eventually, runId } from '../subgraphs/platform/events/testing/test-support.ts';
import { deadLetterTopic } from '../subgraphs/platform/events/transport.ts';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { OrderCreated } from '../subgraphs/orders/events/contracts.ts';
import { RoutePlanned } from '../subgraphs/planning/events/contracts.ts';
import { allApplied, checkGuarantees, startEffectConsumer, type EffectConsumer, type Expected } from './testing/faults/effect-consumer.ts';
import { restartOrdersSubgraph } from './testing/faults/graph.ts';
import { orderBurst, ordersUrl } from './testing/faults/orders.ts';
import { injectPublishFault, publishTwice, relayCrash } from './testing/faults/transport-faults.ts';
import { startTestGraph, type TestGraph } from './testing/harness.ts';

const source = await brokerSource();
// Under CI a missing broker must fail, not skip: then the Kafka run starts and its beforeAll throws.
const kafkaSkip = source.missing && !source.inCi ? source.missing : undefined;
if (kafkaSkip) console.warn(`Kafka fault suites skipped: ${kafkaSkip}`);
const TRANSPORTS = kafkaSkip ? (['bus'] as const) : (['bus', 'kafka'] as const);

// Stopping and starting a broker needs one this process owns (Java), whatever KAFKA_BROKERS says.
const ownBroker = await checkKafkaPrerequisites();
const restartSkip = !ownBroker.ok && !source.inCi ? `cannot start a broker of our own: ${ownBroker.reason}` : undefined;
if (restartSkip && !kafkaSkip) console.warn(`Kafka broker-restart fault skipped: ${restartSkip}`);

const ORDERS_TOPIC = OrderCreated.topic;
const PLANNING_TOPIC = RoutePlanned.topic;
const DISPATCHER = 'dispatcher@demo.test';

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
};

/** Waits until every expected event took effect, then reports on all three guarantees. */
async function settled(consumer: EffectConsumer, expected: Expected, timeoutMs = 60_000, extra: () => boolean = () => true) {
  const subjects = new Set(expected.keys());
  await eventually(
    `${consumer.group} to apply the events of ${expected.size} orders`,
    async () => extra() && allApplied(expected, await consumer.effects(subjects)),
    timeoutMs,
  );
  return checkGuarantees(expected, await consumer.effects(subjects), consumer.deliveries());
}

describe.each(TRANSPORTS)('event faults on the %s transport', (kind) => {
  let g: TestGraph;
  let token: string;
  let dataDir: string;
  let stopBroker = async () => {};
  const consumers: EffectConsumer[] = [];
  const consumer = async (name: string) => {
    const c = await startEffectConsumer({ transport: g.graph.transport, group: `faults.${name}-${runId()}`, topics: [ORDERS_TOPIC] });
    consumers.push(c);
    return c;
  };

  beforeAll(async () => {
    // File-backed databases: the relay-restart fault needs the outbox to outlive the orders process.
    dataDir = await mkdtemp(join(tmpdir(), 'vt-faults-'));
    const env: Record<string, string> = { DATA_DIR: dataDir, EVENT_MAX_ATTEMPTS: '2' };
    if (kind === 'kafka') {
      const broker = await acquireBroker(source);
      stopBroker = broker.stop;
      env.KAFKA_BROKERS = broker.brokers.join(',');
    }
    g = await startTestGraph('pglite', env);
    expect(g.graph.transport.kind).toBe(kind);
    token = await g.login(DISPATCHER);
  });
  afterAll(async () => {
    for (const c of consumers) await c.close().catch(() => {});
    await g?.close();
    await stopBroker();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('given every event is published twice, then each is applied once and in order per order', async () => {
    const c = await consumer('twice');
    await c.join();
    const restore = injectPublishFault(g.graph.transport, [ORDERS_TOPIC], publishTwice);
    try {
      const expected = await orderBurst(g, token, { orders: 24, cancelEvery: 2, url: ordersUrl(g) });
      const events = [...expected.values()].reduce((n, types) => n + types.length, 0);
      // Wait for the second copy of every event too, or the test would not have seen the fault.
      const everyEventTwice = () => {
        const copies = new Map<string, number>();
        for (const d of c.deliveries()) if (expected.has(d.subject)) copies.set(d.eventId, (copies.get(d.eventId) ?? 0) + 1);
        return copies.size === events && [...copies.values()].every((n) => n >= 2);
      };
      const report = await settled(c, expected, 60_000, everyEventTwice);
      expect(report).toMatchObject({ wrong: [], appliedTwice: [], applied: events });
      expect(report.redelivered).toBeGreaterThanOrEqual(events);
    } finally {
      restore();
    }
  });

  it('given a member that crashes after its effect but before its offset commit, then the next member gets the event again and it still applies once', async () => {
    const c = await consumer('crash');
    const expected = await orderBurst(g, token, { orders: 12, cancelEvery: 3, url: ordersUrl(g) });
    const victim = [...expected.keys()][5]!;
    let crashedOn: string | undefined;
    let left: Promise<void> | undefined;
    await c.join('A', {
      // A dead process handles nothing more: every later attempt of this member fails.
      beforeEffect: () => {
        if (crashedOn) throw new Error('member A is dead');
      },
      afterEffect: (envelope, _meta, leave) => {
        if (crashedOn || envelope.subject !== victim || envelope.type !== OrderCreated.type) return;
        crashedOn = envelope.id;
        left = leave();
        throw new Error('member A crashed after committing its effect');
      },
    });
    await eventually('member A to crash', () => !!left);
    await withTimeout(left!, 30_000, 'member A to leave its group');
    const victimEffect = (await c.effects(new Set([victim]))).filter((e) => e.eventId === crashedOn);
    expect(victimEffect).toHaveLength(1);

    await c.join('B');
    const report = await settled(c, expected, 60_000, () => c.deliveries().some((d) => d.member === 'B' && d.eventId === crashedOn));
    expect(report).toMatchObject({ wrong: [], appliedTwice: [] });
    const victimDeliveries = c.deliveries().filter((d) => d.eventId === crashedOn).map((d) => d.member);
    expect(victimDeliveries[0]).toBe('A');
    expect(victimDeliveries).toContain('B');
  });

  it('given the outbox relay killed mid-batch and the orders process restarted, then every event arrives, applies once, in order', async () => {
    const c = await consumer('relay');
    await c.join();
    const crash = relayCrash();
    const restore = injectPublishFault(g.graph.transport, [ORDERS_TOPIC], crash.fault);
    let expected: Expected;
    try {
      // While the "broker" is held, every write lands in the outbox unsent.
      expected = await orderBurst(g, token, { orders: 20, cancelEvery: 2, url: ordersUrl(g) });
      crash.kill();
      await withTimeout(crash.killed, 15_000, 'the relay to die mid-batch');
      // It published half its batch and died before marking it sent. The fault stays until the old
      // process is gone (its relay must not simply retry), then a new process takes over.
      await restartOrdersSubgraph(g, restore);
    } finally {
      restore();
    }
    const batch = crash.batch()!;
    expect(batch.accepted).toBeGreaterThan(0);
    expect(batch.accepted).toBeLessThan(batch.size);
    const report = await settled(c, expected);
    const events = [...expected.values()].reduce((n, types) => n + types.length, 0);
    expect(report).toMatchObject({ wrong: [], appliedTwice: [], applied: events });
    // The acknowledged half came again from the restarted relay (and was absorbed by the inbox).
    // The batch also carries other records of the topic (the audit's mutation records): count the orders'.
    const acceptedOrderEvents = batch.acceptedSubjects.filter((subject) => expected.has(subject)).length;
    expect(acceptedOrderEvents).toBeGreaterThan(0);
    expect(report.redelivered).toBeGreaterThanOrEqual(acceptedOrderEvents);
  });

  it("given a poison event, then it is dead-lettered and the group's committed offset moves past it", async () => {
    // That the events behind it still apply is shown in gateway/events.e2e.test.ts; here: the commit.
    const routeId = crypto.randomUUID();
    const valid = RoutePlanned.create(
      { routeId, vehicleId: crypto.randomUUID(), date: '2031-01-02', distanceKm: 1, stops: [], removedOrderIds: [] },
      { subject: routeId, orgId: DEMO.organization.id },
    );
    const poison: EventEnvelope = { ...valid, id: crypto.randomUUID(), data: { routeId: 'not-a-uuid', stops: 'none' } };
    await g.graph.transport.publish(PLANNING_TOPIC, [{ envelope: poison }]);
    const record = await eventually('the poison event on its topic', async () =>
      (await g.graph.transport.read(PLANNING_TOPIC)).find((r) => r.headers.ce_id === poison.id),
    );
    await eventually('the dead letter', async () =>
      (await g.graph.transport.read(deadLetterTopic(PLANNING_TOPIC))).some((r) => r.headers.ce_id === poison.id),
    );
    await eventually('the orders group to commit past it', async () => (await g.graph.transport.lag('orders', [PLANNING_TOPIC])) === 0);
    if (kind === 'kafka') {
      const admin = new Kafka({ brokers: g.config.events.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const [committed] = await admin.fetchOffsets({ groupId: 'orders', topics: [PLANNING_TOPIC] });
        const offset = committed!.partitions.find((p) => p.partition === record.partition)!.offset;
        expect(Number(offset)).toBeGreaterThan(Number(record.offset));
      } finally {
        await admin.disconnect();
      }
    }
  });
});

describe.skipIf(!!kafkaSkip || !!restartSkip)('the Kafka broker stopped during a burst', () => {
  let broker: KafkaBroker | undefined;
  let g: TestGraph;
  let c: EffectConsumer | undefined;

  beforeAll(async () => {
    if (!ownBroker.ok) throw new Error(`Kafka broker unavailable: ${ownBroker.reason}`);
    broker = await startKafkaBroker({ progress: () => {} });
    g = await startTestGraph('pglite', { KAFKA_BROKERS: broker.brokers.join(',') });
  });
  afterAll(async () => {
    await c?.close().catch(() => {});
    await g?.close();
    await broker?.stop();
  });

  it('given 1,000 orders with the broker stopped mid-burst and started again, then every event applies once, in order', async () => {
    const token = await g.login(DISPATCHER);
    c = await startEffectConsumer({ transport: g.graph.transport, group: `faults.broker-${runId()}`, topics: [ORDERS_TOPIC] });
    await c.join();
    let stopping: Promise<void> | undefined;
    let createdWhileDown = 0;
    const expected = await orderBurst(g, token, {
      orders: 1_000,
      concurrency: 8,
      cancelEvery: 10,
      url: ordersUrl(g),
      onOrder: async (done) => {
        if (done === 200) stopping = broker!.stopBroker();
        // Past 600, clients wait for the broker to be down, so the rest of the burst surely meets the outage.
        if (done >= 600 && stopping) await withTimeout(stopping, 60_000, 'the broker to stop');
        if (done > 200 && !broker!.isRunning()) createdWhileDown++;
      },
    });
    await withTimeout(stopping!, 60_000, 'the broker to stop');
    await broker!.startAgain();
    // The outage overlapped the burst: orders were written while nothing could be published.
    expect(createdWhileDown).toBeGreaterThan(0);
    const report = await settled(c, expected, 90_000);
    const events = [...expected.values()].reduce((n, types) => n + types.length, 0);
    expect(expected.size).toBe(1_000);
    expect(report).toMatchObject({ wrong: [], appliedTwice: [], applied: events });
  }, 180_000);
});
