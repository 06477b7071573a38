/**
 * Fault injection on a running graph's shared transport. Every publisher (each subgraph's outbox
 * relay) calls `transport.publish` on that one object at call time, so replacing the method on it
 * puts a fault between the relays and the broker without touching production code.
 */
import type { EventTransport, OutgoingRecord } from '../../../subgraphs/platform/events/transport.ts';

type Publish = EventTransport['publish'];

/** What to do with one publish call: `original` is the real transport's publish. */
export type PublishFault = (topic: string, records: readonly OutgoingRecord[], original: Publish) => Promise<void>;

/** Puts `fault` around publish calls to `topics`; the returned function restores the original. */
export function injectPublishFault(transport: EventTransport, topics: readonly string[], fault: PublishFault): () => void {
  const original = transport.publish;
  const real: Publish = (topic, records) => original.call(transport, topic, records);
  const target = transport as { publish: Publish };
  target.publish = (topic, records) => (topics.includes(topic) ? fault(topic, records, real) : real(topic, records));
  return () => {
    target.publish = original;
  };
}

/** Every call is published twice in full: each event reaches every group twice, the copy after its successors. */
export const publishTwice: PublishFault = async (topic, records, original) => {
  await original(topic, records);
  await original(topic, records);
};

export class RelayKilled extends Error {
  override name = 'RelayKilled';
}

/**
 * Simulates a relay process that dies mid-batch: while `holding`, publishing fails outright
 * (nothing accepted, so rows pile up unsent); the first call after `kill()` publishes only the first
 * half of its records, acknowledged by the broker, and then fails before the relay can mark them
 * sent; every later call fails too (the process is gone) until the fault is removed.
 */
export function relayCrash() {
  let state: 'holding' | 'armed' | 'dead' = 'holding';
  let killedBatch: { size: number; accepted: number; acceptedSubjects: string[] } | undefined;
  let onKilled: (() => void) | undefined;
  const killed = new Promise<void>((resolve) => (onKilled = resolve));
  const fault: PublishFault = async (topic, records, original) => {
    if (state !== 'armed') throw new RelayKilled(state === 'holding' ? 'broker unreachable (held by the test)' : 'relay process is dead');
    state = 'dead';
    const accepted = Math.floor(records.length / 2);
    await original(topic, records.slice(0, accepted));
    killedBatch = { size: records.length, accepted, acceptedSubjects: records.slice(0, accepted).map((r) => r.envelope.subject) };
    onKilled?.();
    throw new RelayKilled(`killed after ${accepted} of ${records.length} records were acknowledged`);
  };
  return {
    fault,
    /** Lets the next publish call through halfway, then kills the relay. */
    kill: () => {
      state = 'armed';
    },
    /** Resolves once the relay died mid-batch. */
    killed,
    batch: () => killedBatch,
  };
}
