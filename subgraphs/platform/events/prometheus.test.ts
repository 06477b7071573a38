import { describe, expect, it } from 'vitest';
import { formatEventMetrics } from './prometheus.ts';

describe('event metrics for Prometheus', () => {
  it('labels every sample with the subgraph, and groups and topics where they apply', () => {
    const text = formatEventMetrics('orders', {
      outboxBacklog: 3,
      outboxOldestAge: 42.5,
      consumerLag: { orders: 7 },
      deadLetters: { 'voidtracker.planning.dlq': 1 },
      transport: { published: 10, handled: 9, retried: 2, deadLettered: 1 },
    });
    expect(text).toContain('# TYPE voidtracker_outbox_backlog gauge\nvoidtracker_outbox_backlog{subgraph="orders"} 3');
    expect(text).toContain('# TYPE voidtracker_outbox_oldest_unsent_age_seconds gauge\nvoidtracker_outbox_oldest_unsent_age_seconds{subgraph="orders"} 42.5');
    expect(text).toContain('voidtracker_consumer_lag{subgraph="orders",group="orders"} 7');
    expect(text).toContain('voidtracker_dead_letters{subgraph="orders",topic="voidtracker.planning.dlq"} 1');
    expect(text).toContain('voidtracker_events_dead_lettered_total{subgraph="orders"} 1');
    expect(text.endsWith('\n')).toBe(true);
  });
});
