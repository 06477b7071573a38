import { describe, expect, it } from 'vitest';
import { createBusTransport, partitionFor, type BusTransport } from './bus-transport.ts';
import { eventually, OrderCreated, ORG } from './testing/test-support.ts';
import { transportSuite } from './testing/transport.suite.ts';

transportSuite([
  {
    name: 'in-process bus',
    create: async () => createBusTransport({ partitions: 3 }),
    publishRaw: async (transport, topic, messages) => (transport as BusTransport).publishRaw(topic, messages),
  },
]);

describe('bus specifics', () => {
  it('given a key, when partitioned, then the partition is stable and in range', () => {
    expect(partitionFor('order-1', 3)).toBe(partitionFor('order-1', 3));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => partitionFor(`order-${i}`, 3)));
    expect(spread).toEqual(new Set([0, 1, 2]));
  });

  it('given a retention of 5, when a group has processed 20 records, then old ones are trimmed but unprocessed ones kept', async () => {
    // Given
    const bus = createBusTransport({ partitions: 1, retainPerPartition: 5 });
    const seen: number[] = [];
    const e = (seq: number) => ({ envelope: OrderCreated.create({ orderId: 'o', seq }, { subject: 'o', orgId: ORG }) });
    const sub = await bus.subscribe({ group: 'g', topics: ['t'], handle: async (x) => void seen.push(OrderCreated.parse(x).data.seq) });

    // When
    for (let i = 0; i < 20; i++) await bus.publish('t', [e(i)]);
    await eventually('all 20', () => seen.length === 20);
    await sub.close();
    for (let i = 20; i < 30; i++) await bus.publish('t', [e(i)]);

    // Then: 10 unprocessed by g are all still there
    const kept = await bus.read('t');
    expect(kept.length).toBe(10);
    expect(kept[0]!.offset).toBe('20');
    expect(await bus.lag('g', ['t'])).toBe(10);
    await bus.close();
  });

  it('given a handler stuck in backoff, when its member closes, then the record is not lost: the next member gets it', async () => {
    // Given
    const bus = createBusTransport({ partitions: 1 });
    const e = OrderCreated.create({ orderId: 'o', seq: 0 }, { subject: 'o', orgId: ORG });
    let calls = 0;
    const first = await bus.subscribe({
      group: 'g',
      topics: ['t'],
      backoff: { initialMs: 60_000 },
      handle: async () => {
        calls++;
        throw new Error('down');
      },
    });
    await bus.publish('t', [{ envelope: e }]);
    await eventually('first attempt', () => calls === 1);

    // When
    await first.close();
    const got: string[] = [];
    await bus.subscribe({ group: 'g', topics: ['t'], handle: async (x) => void got.push(x.id) });

    // Then
    await eventually('redelivery to the next member', () => got.length === 1);
    expect(got).toEqual([e.id]);
    expect(await bus.read('t.dlq')).toEqual([]);
    await bus.close();
  });
});
