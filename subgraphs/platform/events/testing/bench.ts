import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { defineEvent } from '../contract.ts';
import type { EventTransport } from '../transport.ts';

export interface BenchOptions {
  transport: EventTransport;
  /** Events in the throughput phase. Default 5 000. */
  events?: number;
  /** Events per publish call in the throughput phase. Default 100. */
  batchSize?: number;
  /** Single events timed one at a time, publish to handler. Default 200. */
  latencySamples?: number;
  /** Distinct keys (aggregates). Default 64. */
  keys?: number;
  /** Filler in each payload. Default 200 bytes. */
  payloadBytes?: number;
  /** Give up after this long. Default 120 s. */
  timeoutMs?: number;
}

export interface BenchResult {
  transport: EventTransport['kind'];
  /** Publish call to handler entry, one event in flight at a time. */
  latencyMs: { p50: number; p95: number; p99: number; max: number; samples: number };
  /** Back-to-back batches until the last one is handled. */
  throughput: { events: number; seconds: number; eventsPerSecond: number };
}

const Probe = defineEvent({
  type: 'voidtracker.bench.probe.sent.v1',
  producer: 'bench',
  aggregate: 'Probe',
  description: 'A benchmark probe.',
  schema: z.object({ seq: z.number().int(), pad: z.string() }),
});

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Measures one transport: latency (publish → handler, unloaded) and sustained throughput
 * (publish and consume at once). Uses its own topic and group; leaves the transport open.
 */
export async function benchmarkTransport(options: BenchOptions): Promise<BenchResult> {
  const { transport } = options;
  const events = options.events ?? 5_000;
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const samples = options.latencySamples ?? 200;
  const keyCount = Math.max(1, options.keys ?? 64);
  const pad = 'x'.repeat(options.payloadBytes ?? 200);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const topic = `voidtracker.bench-${run}`;

  let received = 0;
  let lastArrival = 0;
  const waiting = new Map<string, (at: number) => void>();
  let allDone: (() => void) | undefined;
  let target = Number.POSITIVE_INFINITY;
  const subscription = await transport.subscribe({
    group: `bench-${run}`,
    topics: [topic],
    handle: async (envelope) => {
      const at = performance.now();
      received++;
      lastArrival = at;
      waiting.get(envelope.id)?.(at);
      if (received >= target) allDone?.();
    },
  });
  const make = (seq: number) =>
    Probe.create({ seq, pad }, { subject: `probe-${seq % keyCount}`, orgId: 'bench' });
  const withDeadline = <T>(promise: Promise<T>, what: string) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`benchmark timed out during ${what}`)), Math.max(0, deadline - Date.now()));
    });
    return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
  };

  try {
    // Latency: one event at a time (the first also warms up connections and assignment).
    const latencies: number[] = [];
    for (let i = -1; i < samples; i++) {
      const envelope = make(i < 0 ? 0 : i);
      const arrived = new Promise<number>((resolve) => waiting.set(envelope.id, resolve));
      const start = performance.now();
      await transport.publish(topic, [{ envelope }]);
      const at = await withDeadline(arrived, 'the latency phase');
      waiting.delete(envelope.id);
      if (i >= 0) latencies.push(at - start);
    }
    latencies.sort((a, b) => a - b);

    // Throughput: publish batches back to back while the consumer keeps up.
    const before = received;
    target = before + events;
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    const batches: ReturnType<typeof make>[][] = [];
    for (let i = 0; i < events; i += batchSize) {
      batches.push(Array.from({ length: Math.min(batchSize, events - i) }, (_, j) => make(i + j)));
    }
    const start = performance.now();
    for (const batch of batches) await transport.publish(topic, batch.map((envelope) => ({ envelope })));
    if (received < target) await withDeadline(finished, 'the throughput phase');
    const seconds = (lastArrival - start) / 1000;

    return {
      transport: transport.kind,
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies[latencies.length - 1] ?? Number.NaN),
        samples: latencies.length,
      },
      throughput: { events, seconds: round(seconds, 3), eventsPerSecond: Math.round(events / seconds) },
    };
  } finally {
    await subscription.close();
  }
}
