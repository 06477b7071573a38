/**
 * The transport contract, written once and run against every EventTransport
 * (bus-transport.test.ts, kafka-transport.int.test.ts): the bus must behave as Kafka does.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import { on, runConsumer, sqlTransactions } from '../consumer.ts';
import { deadLetterCount, listDeadLetters, replayDeadLetters } from '../dead-letters.ts';
import { INBOX_DDL } from '../inbox.ts';
import { OUTBOX_DDL, writeOutbox } from '../outbox.ts';
import type { SqlExecutor } from '../sql.ts';
import { collectEventMetrics } from '../metrics.ts';
import { toWireMessage, type EventEnvelope, type WireMessage } from '../envelope.ts';
import { eventually, OrderCancelled, OrderCreated, ORG, runId } from './test-support.ts';
import { deadLetterTopic, DLQ_HEADERS, type DeliveryMeta, type EventTransport, type Subscription } from '../transport.ts';

export interface TransportHarness {
  name: string;
  /** Why the suite cannot run here (then it is skipped); undefined when it can. */
  skipReason?: () => string | undefined;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  create(): Promise<EventTransport>;
  publishRaw(transport: EventTransport, topic: string, messages: WireMessage[]): Promise<void>;
}

interface Seen {
  key: string;
  seq: number;
  id: string;
  meta: DeliveryMeta;
}

const event = (key: string, seq: number) => OrderCreated.create({ orderId: key, seq }, { subject: key, orgId: ORG });

const FAST_RETRY = { initialMs: 5, factor: 2, maxMs: 50 };

/** Per key: the sequence numbers in arrival order. */
function byKey(seen: readonly Seen[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of seen) out.set(s.key, [...(out.get(s.key) ?? []), s.seq]);
  return out;
}

/** First arrivals only: at-least-once may repeat a record, but never reorders a key. */
const firstSeen = (seen: readonly Seen[]) => seen.filter((s, i) => seen.findIndex((t) => t.id === s.id) === i);

export function transportSuite(harnesses: TransportHarness[]): void {
  describe.each(harnesses)('EventTransport contract: $name', (harness) => {
    const reason = harness.skipReason?.();
    if (reason) console.warn(`[events] skipping ${harness.name} transport suite: ${reason}`);

    describe.skipIf(reason !== undefined)(reason ? `(skipped: ${reason})` : 'semantics', () => {
      let transport: EventTransport;
      const subscriptions: Subscription[] = [];
      const subscribe = async (...args: Parameters<EventTransport['subscribe']>) => {
        const s = await transport.subscribe(...args);
        subscriptions.push(s);
        return s;
      };

      beforeAll(async () => {
        await harness.setUp?.();
        transport = await harness.create();
      }, 10 * 60_000);

      afterEach(async () => {
        await Promise.all(subscriptions.splice(0).map((s) => s.close()));
      }, 60_000);

      afterAll(async () => {
        await transport?.close();
        await harness.tearDown?.();
      }, 60_000);

      it('given keyed events over several partitions, when two groups consume (one joining late), then each sees every event once per key in order', async () => {
        // Given
        const topic = `t-order-${runId()}`;
        const keys = Array.from({ length: 8 }, (_, i) => `order-${i}`);
        const early: Seen[] = [];
        const late: Seen[] = [];
        const record = (into: Seen[]) => async (e: EventEnvelope, meta: DeliveryMeta) => {
          const data = OrderCreated.parse(e).data;
          into.push({ key: data.orderId, seq: data.seq, id: e.id, meta });
        };
        await subscribe({ group: `early-${runId()}`, topics: [topic], handle: record(early) });

        // When: 8 keys × 6 events, in three publish calls
        for (let batch = 0; batch < 3; batch++) {
          const records = keys.flatMap((k) => [event(k, batch * 2), event(k, batch * 2 + 1)]).map((envelope) => ({ envelope }));
          await transport.publish(topic, records);
        }
        // A group created after the fact starts at the earliest record.
        await subscribe({ group: `late-${runId()}`, topics: [topic], handle: record(late) });

        // Then
        await eventually('both groups to see 48 events', () => firstSeen(early).length >= 48 && firstSeen(late).length >= 48);
        for (const seen of [early, late]) {
          const order = byKey(firstSeen(seen));
          for (const k of keys) expect(order.get(k), k).toEqual([0, 1, 2, 3, 4, 5]);
          const partitionsOfKey = new Map<string, Set<number>>();
          for (const s of seen) partitionsOfKey.set(s.key, (partitionsOfKey.get(s.key) ?? new Set()).add(s.meta.partition));
          for (const k of keys) expect(partitionsOfKey.get(k)!.size, `${k} stays on one partition`).toBe(1);
          expect(new Set(seen.map((s) => s.meta.partition)).size, 'keys spread over partitions').toBeGreaterThan(1);
        }
      }, 90_000);

      it('given two members of one group, when events arrive, then they split the partitions and each key stays with one member, in order', async () => {
        // Given
        const topic = `t-split-${runId()}`;
        const group = `split-${runId()}`;
        const a: Seen[] = [];
        const b: Seen[] = [];
        const record = (into: Seen[]) => async (e: EventEnvelope, meta: DeliveryMeta) => {
          const data = OrderCreated.parse(e).data;
          into.push({ key: data.orderId, seq: data.seq, id: e.id, meta });
        };
        await subscribe({ group, topics: [topic], handle: record(a) });
        await subscribe({ group, topics: [topic], handle: record(b) });
        const keys = Array.from({ length: 12 }, (_, i) => `k-${i}`);

        // When
        await transport.publish(topic, keys.flatMap((k) => [0, 1, 2].map((seq) => ({ envelope: event(k, seq) }))));

        // Then
        await eventually('all 36 events across both members', () => new Set([...a, ...b].map((s) => s.id)).size >= 36);
        expect(a.length, 'member A got a share').toBeGreaterThan(0);
        expect(b.length, 'member B got a share').toBeGreaterThan(0);
        const partitionsA = new Set(a.map((s) => s.meta.partition));
        const partitionsB = new Set(b.map((s) => s.meta.partition));
        expect([...partitionsA].filter((p) => partitionsB.has(p)), 'no partition shared').toEqual([]);
        for (const seen of [a, b]) for (const [k, seqs] of byKey(firstSeen(seen))) expect(seqs, k).toEqual([0, 1, 2]);
      }, 90_000);

      it('given a handler that fails twice, when the event arrives, then it is redelivered with growing attempt numbers and the key keeps its order', async () => {
        // Given
        const topic = `t-retry-${runId()}`;
        const attempts: number[] = [];
        const done: number[] = [];
        await subscribe({
          group: `retry-${runId()}`,
          topics: [topic],
          maxAttempts: 5,
          backoff: FAST_RETRY,
          handle: async (e, meta) => {
            const { seq } = OrderCreated.parse(e).data;
            if (seq === 1) {
              attempts.push(meta.attempt);
              if (meta.attempt < 3) throw new Error('database briefly unavailable');
            }
            done.push(seq);
          },
        });

        // When
        await transport.publish(topic, [0, 1, 2, 3].map((seq) => ({ envelope: event('order-r', seq) })));

        // Then
        await eventually('4 events handled', () => done.length >= 4);
        expect(attempts).toEqual([1, 2, 3]);
        expect(done).toEqual([0, 1, 2, 3]);
        expect(await listDeadLetters(transport, topic)).toEqual([]);
      }, 90_000);

      it('given a poison event, when it fails maxAttempts times, then it is dead-lettered with error, attempts and original headers, and later records still flow', async () => {
        // Given
        const topic = `t-poison-${runId()}`;
        const group = `poison-${runId()}`;
        const done: string[] = [];
        const poison = event('order-p', 1);
        let poisonCalls = 0;
        await subscribe({
          group,
          topics: [topic],
          maxAttempts: 3,
          backoff: FAST_RETRY,
          handle: async (e) => {
            if (e.id === poison.id) {
              poisonCalls++;
              throw new Error('no rate card for this country');
            }
            const d = OrderCreated.parse(e).data;
            done.push(`${d.orderId}#${d.seq}`);
          },
        });

        // When
        await transport.publish(topic, [
          { envelope: event('order-p', 0) },
          { envelope: poison },
          { envelope: event('order-p', 2) },
          { envelope: event('order-q', 0) },
        ]);

        // Then
        await eventually('the records behind the poison one', () => done.includes('order-p#2') && done.includes('order-q#0'));
        expect(done.filter((d) => d.startsWith('order-p'))).toEqual(['order-p#0', 'order-p#2']);
        expect(poisonCalls).toBe(3);
        const letters = await eventually('one dead letter', async () => {
          const list = await listDeadLetters(transport, topic);
          return list.length === 1 ? list : undefined;
        });
        const [letter] = letters;
        expect(letter!.record.topic).toBe(deadLetterTopic(topic));
        expect(letter!.envelope).toEqual(poison);
        expect(letter!.error).toBe('Error: no rate card for this country');
        expect(letter!.attempts).toBe(3);
        expect(letter!.group).toBe(group);
        expect(letter!.originalTopic).toBe(topic);
        expect(letter!.record.headers.ce_id).toBe(poison.id);
        expect(letter!.record.headers[DLQ_HEADERS.offset]).toBe(letter!.originalOffset);
        expect(letter!.record.key).toBe('order-p');
        expect(transport.stats().deadLettered).toBeGreaterThanOrEqual(1);
        expect(await deadLetterCount(transport, topic)).toBe(1);
        await eventually('the group to commit past the poison record', async () => (await transport.lag(group, [topic])) === 0);
        const metrics = await collectEventMetrics({ transport, groups: { [group]: [topic] }, deadLetterTopics: [topic] });
        expect(metrics).toMatchObject({ outboxBacklog: undefined, consumerLag: { [group]: 0 }, deadLetters: { [topic]: 1 } });
      }, 90_000);

      it('given a kernel consumer and a batch holding a poison event and duplicates, then the poison alone is dead-lettered and every other event is applied once, in key order, in batches', async () => {
        // Given: the kernel's consumer slice on its own database, its effect table unique on nothing
        const database = await openDatabase({ kind: 'pglite', location: 'memory://' });
        await database.exec(INBOX_DDL);
        await database.exec(OUTBOX_DDL);
        await database.exec(`CREATE TABLE "Effect" ("seq" SERIAL PRIMARY KEY, "event_id" TEXT NOT NULL, "key" TEXT NOT NULL, "n" INT NOT NULL)`);
        const topic = `t-slice-${runId()}`;
        const group = `slice-${runId()}`;
        let commits = 0;
        const running = runConsumer(
          sqlTransactions(database),
          {
            name: group,
            routes: [
              on([OrderCreated], async (e, sql: SqlExecutor) => {
                await sql.query(`INSERT INTO "Effect" ("event_id", "key", "n") VALUES ($1, $2, $3)`, [e.id, e.data.orderId, e.data.seq]);
                // The last event announces something: only its batch's commit has a reason to wake the relay.
                if (e.data.seq === 8) await writeOutbox(sql, 'slice-out', [e]);
              }),
            ],
          },
          { onCommit: () => void commits++ },
        );
        let largestBatch = 0;
        const first = [0, 1, 2, 3, 4].map((seq) => event('order-s', seq));
        const poison = { ...event('order-s', 99), data: { orderId: 'order-s', seq: 'not a number' } } as EventEnvelope;
        try {
          // When: the first wave (poison in the middle, one event twice) is there before the group joins
          await transport.publish(topic, [
            { envelope: first[0]! },
            { envelope: first[1]! },
            { envelope: first[1]! },
          ]);
          await harness.publishRaw(transport, topic, [toWireMessage(poison, 'order-s')]);
          await transport.publish(topic, [{ envelope: first[2]! }, { envelope: first[3]! }, { envelope: first[4]! }, { envelope: event('order-t', 0) }]);
          await subscribe({
            group,
            topics: [topic],
            maxAttempts: 2,
            backoff: FAST_RETRY,
            handle: running.handle,
            handleBatch: async (envelopes, meta) => {
              await running.handleBatch(envelopes, meta);
              largestBatch = Math.max(largestBatch, envelopes.length);
            },
          });
          await eventually('the first wave', async () => (await transport.lag(group, [topic])) === 0, 60_000);
          // and a second wave, with no poison, published in one call
          const second = [5, 6, 7, 8].map((seq) => event('order-s', seq));
          await transport.publish(topic, second.map((envelope) => ({ envelope })));
          await eventually('the second wave', async () => (await database.query(`SELECT 1 FROM "Effect" WHERE "n" = 8`)).length === 1, 60_000);

          // Then
          const rows = await database.query<{ event_id: string; key: string; n: number }>(`SELECT "event_id", "key", "n" FROM "Effect" ORDER BY "seq"`);
          expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
          expect(rows.filter((r) => r.key === 'order-s').map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
          expect(rows.filter((r) => r.key === 'order-t').map((r) => r.n)).toEqual([0]);
          const letters = await eventually('one dead letter', async () => {
            const list = await listDeadLetters(transport, topic, { group });
            return list.length === 1 ? list : undefined;
          });
          expect(letters[0]!.envelope?.id).toBe(poison.id);
          expect(letters[0]!.error).toContain('Invalid voidtracker.orders.order.created.v1 payload (consume)');
          expect(largestBatch).toBeGreaterThan(1);
          expect(commits).toBe(1);
        } finally {
          await database.close();
        }
      }, 120_000);

      it('given a malformed record, when consumed, then it is dead-lettered at once and does not block the next one', async () => {
        // Given
        const topic = `t-malformed-${runId()}`;
        const done: number[] = [];
        let calls = 0;
        await subscribe({
          group: `malformed-${runId()}`,
          topics: [topic],
          backoff: FAST_RETRY,
          handle: async (e) => {
            calls++;
            done.push(OrderCreated.parse(e).data.seq);
          },
        });
        const broken = toWireMessage(event('order-m', 0));
        broken.value = 'not json at all';

        // When
        await harness.publishRaw(transport, topic, [broken]);
        await transport.publish(topic, [{ envelope: event('order-m', 1) }]);

        // Then
        await eventually('the record after the malformed one', () => done.includes(1));
        expect(calls).toBe(1);
        const [letter] = await eventually('one dead letter', async () => {
          const list = await listDeadLetters(transport, topic);
          return list.length === 1 ? list : undefined;
        });
        expect(letter!.envelope).toBeUndefined();
        expect(letter!.decodeError).toMatch(/not JSON/);
        expect(letter!.attempts).toBe(0);
        expect(letter!.record.value).toBe('not json at all');
      }, 90_000);

      it('given dead letters and a fixed handler, when replayed, then the original event is handled and malformed ones are reported', async () => {
        // Given: a group that gives up on every event of key order-x
        const topic = `t-replay-${runId()}`;
        let fixed = false;
        const handled: string[] = [];
        await subscribe({
          group: `replay-${runId()}`,
          topics: [topic],
          maxAttempts: 2,
          backoff: FAST_RETRY,
          handle: async (e) => {
            if (!fixed && e.subject === 'order-x') throw new Error('bug');
            handled.push(e.id);
          },
        });
        const victim = event('order-x', 0);
        await transport.publish(topic, [{ envelope: victim }, { envelope: event('order-y', 0) }]);
        await eventually('the dead letter', async () => (await listDeadLetters(transport, topic)).length === 1);
        expect(handled).not.toContain(victim.id);

        // When
        fixed = true;
        const dry = await replayDeadLetters(transport, topic, { dryRun: true });
        const result = await replayDeadLetters(transport, topic);

        // Then
        expect(dry.replayed.map((d) => d.envelope?.id)).toEqual([victim.id]);
        expect(result.replayed.map((d) => d.envelope?.id)).toEqual([victim.id]);
        await eventually('the replayed event to be handled', () => handled.includes(victim.id));
      }, 90_000);

      it("given retained events, when a new group joins with startAt 'latest', then it sees only events published after it joined", async () => {
        // Given: history the live group must not replay
        const topic = `t-latest-${runId()}`;
        await transport.publish(topic, [0, 1, 2].map((seq) => ({ envelope: event(`old-${seq}`, seq) })));
        const seen: string[] = [];
        await subscribe({ group: `latest-${runId()}`, topics: [topic], startAt: 'latest', handle: async (e) => void seen.push(OrderCreated.parse(e).data.orderId) });

        // When: Kafka settles the group's start offset shortly after the join, so publish until one arrives
        let n = 0;
        await eventually('a new event to arrive', async () => {
          if (seen.length) return true;
          await transport.publish(topic, [{ envelope: event(`new-${n}`, n++) }]);
          return false;
        });

        // Then
        expect(seen.every((key) => key.startsWith('new-'))).toBe(true);
      }, 90_000);

      it('given a subscriber that accepts some types, when other types arrive between them, then it sees only its own, in order, and the rest are committed past', async () => {
        // Given
        const topic = `t-accepts-${runId()}`;
        const group = `accepts-${runId()}`;
        const seen: Array<{ type: string; seq: number }> = [];
        await subscribe({
          group,
          topics: [topic],
          accepts: (type) => type === OrderCreated.type,
          // Whatever reaches the handler is recorded, so a type that should have been passed over shows here.
          handle: async (e) => void seen.push({ type: e.type, seq: OrderCreated.matches(e) ? OrderCreated.parse(e).data.seq : -1 }),
        });

        // When: one key, so one partition and one order; the cancellations are not this subscriber's
        const key = 'order-accepts';
        await transport.publish(topic, [
          { envelope: event(key, 0) },
          { envelope: OrderCancelled.create({ orderId: key, reason: 'x' }, { subject: key, orgId: ORG }) },
          { envelope: event(key, 1) },
          { envelope: OrderCancelled.create({ orderId: key, reason: 'y' }, { subject: key, orgId: ORG }) },
        ]);

        // Then
        await eventually('lag 0: every record committed, the passed-over last one too', async () => (await transport.lag(group, [topic])) === 0);
        expect(seen).toEqual([
          { type: OrderCreated.type, seq: 0 },
          { type: OrderCreated.type, seq: 1 },
        ]);
        expect(await transport.size(deadLetterTopic(topic))).toBe(0);
      }, 90_000);

      it('given a subscriber that gathers for 6 s, when events are published one by one after the first, then the first is applied alone at once and the rest together', async () => {
        // Given: one key, so one partition; the gather outlasts Kafka's 3 s long poll, so however late in
        // its fetch the first event lands, the wait after it still covers the four publishes
        const topic = `t-gather-${runId()}`;
        const batches: number[][] = [];
        const record = (envelopes: EventEnvelope[]) => void batches.push(envelopes.map((e) => OrderCreated.parse(e).data.seq));
        await subscribe({ group: `gather-${runId()}`, topics: [topic], gatherMs: 6_000, handle: async (e) => record([e]), handleBatch: async (envelopes) => record(envelopes) });
        const key = 'order-gather';

        // When
        await transport.publish(topic, [{ envelope: event(key, 0) }]);
        await eventually('the first event', () => batches.length === 1);
        for (const seq of [1, 2, 3, 4]) await transport.publish(topic, [{ envelope: event(key, seq) }]);

        // Then: four publishes, one batch (without gathering, each would be fetched as it came)
        await eventually('all five', () => batches.flat().length === 5);
        expect(batches).toEqual([[0], [1, 2, 3, 4]]);
      }, 90_000);

      it('given a subscriber gathering for ten minutes, when it is closed mid-wait, then it leaves at once', async () => {
        // Given
        const topic = `t-gather-close-${runId()}`;
        let applied = 0;
        const subscription = await transport.subscribe({ group: `gather-close-${runId()}`, topics: [topic], gatherMs: 10 * 60_000, handle: async () => void applied++ });
        await transport.publish(topic, [{ envelope: event('order-gather-close', 0) }]);
        await eventually('the event', () => applied === 1);

        // When / Then: closing ends the wait (this test's own timeout is far below ten minutes)
        await subscription.close();
        expect(applied).toBe(1);
      }, 90_000);

      it('given a group that processed some events and left, when a new member joins, then it resumes after the committed ones, and lag counts what is left', async () => {
        // Given
        const topic = `t-resume-${runId()}`;
        const group = `resume-${runId()}`;
        const first: number[] = [];
        const s = await subscribe({ group, topics: [topic], handle: async (e) => void first.push(OrderCreated.parse(e).data.seq) });
        await transport.publish(topic, [0, 1, 2].map((seq) => ({ envelope: event('order-c', seq) })));
        await eventually('first three', () => first.length >= 3);
        await eventually('lag 0 once committed', async () => (await transport.lag(group, [topic])) === 0);
        await s.close();

        // When
        await transport.publish(topic, [3, 4].map((seq) => ({ envelope: event('order-c', seq) })));
        expect(await transport.lag(group, [topic])).toBe(2);
        const second: number[] = [];
        await subscribe({ group, topics: [topic], handle: async (e) => void second.push(OrderCreated.parse(e).data.seq) });

        // Then
        await eventually('the two new ones', () => second.length >= 2);
        expect(second).toEqual([3, 4]);
        await eventually('lag back to 0', async () => (await transport.lag(group, [topic])) === 0);
        expect(await transport.lag(`never-joined-${runId()}`, [topic])).toBe(5);
        expect(await transport.size(topic)).toBe(5);
        expect(await transport.size(`t-absent-${runId()}`)).toBe(0);
        expect(await transport.read(`t-absent-${runId()}`)).toEqual([]);
      }, 90_000);
    });
  });
}
