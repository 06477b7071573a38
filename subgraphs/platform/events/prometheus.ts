import type { ServerResponse, IncomingMessage } from 'node:http';
import { collectEventMetrics, type EventMetrics } from './metrics.ts';
import type { OutboxRelay } from './outbox.ts';
import { deadLetterTopic, type EventTransport } from './transport.ts';

const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The event metrics in Prometheus' text exposition format, labelled with the subgraph. */
export function formatEventMetrics(subgraph: string, m: EventMetrics): string {
  const s = `subgraph="${label(subgraph)}"`;
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}{${labels}} ${value}`);
  };
  if (m.outboxBacklog !== undefined) {
    metric('voidtracker_outbox_backlog', 'gauge', 'Outbox rows not yet published.', [[s, m.outboxBacklog]]);
  }
  if (m.outboxOldestAge !== undefined) {
    metric('voidtracker_outbox_oldest_unsent_age_seconds', 'gauge', 'Seconds the oldest unpublished outbox row has waited (0 when none).', [[s, m.outboxOldestAge]]);
  }
  metric(
    'voidtracker_consumer_lag',
    'gauge',
    'Records a consumer group has not yet processed.',
    Object.entries(m.consumerLag).map(([group, lag]) => [`${s},group="${label(group)}"`, lag]),
  );
  metric(
    'voidtracker_dead_letters',
    'gauge',
    'Records on a dead-letter topic this subgraph feeds.',
    Object.entries(m.deadLetters).map(([topic, n]) => [`${s},topic="${label(topic)}"`, n]),
  );
  const t = m.transport;
  metric('voidtracker_events_published_total', 'counter', 'Events this process published.', [[s, t.published]]);
  metric('voidtracker_events_handled_total', 'counter', 'Events this process handled successfully.', [[s, t.handled]]);
  metric('voidtracker_events_retried_total', 'counter', 'Failed deliveries that were tried again.', [[s, t.retried]]);
  metric('voidtracker_events_dead_lettered_total', 'counter', 'Events this process sent to a dead-letter topic.', [[s, t.deadLettered]]);
  return `${lines.join('\n')}\n`;
}

/**
 * `/metrics`: collected on each scrape (it asks the database and the broker), never per request.
 * `more` adds the subgraph's other metrics (its requests, its domain's own) to the same exposition.
 */
export function eventMetricsRoute(
  subgraph: string,
  source: { transport: EventTransport; outbox: Pick<OutboxRelay, 'backlog' | 'oldestUnsentAge'>; groups: Record<string, readonly string[]> },
  more?: () => Promise<string>,
) {
  const deadLetterTopics = [...new Set(Object.values(source.groups).flat())].map(deadLetterTopic);
  return async (_req: IncomingMessage, res: ServerResponse) => {
    const metrics = await collectEventMetrics({ transport: source.transport, relay: source.outbox, groups: source.groups, deadLetterTopics });
    const extra = (await more?.()) ?? '';
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${formatEventMetrics(subgraph, metrics)}${extra}`);
  };
}
