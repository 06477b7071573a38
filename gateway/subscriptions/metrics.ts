import { Counter, Gauge, type Registry } from 'prom-client';
import type { HubMetrics, LiveTransport } from './hub.ts';

/** Open subscriptions by transport, and pushes by field, on the gateway's /metrics registry. */
export function liveMetrics(registry: Registry): HubMetrics {
  const active = new Gauge({
    name: 'graphql_subscriptions_active',
    help: 'Subscriptions open at the gateway, by transport (sse, ws).',
    labelNames: ['transport'],
    registers: [registry],
  });
  const pushes = new Counter({
    name: 'graphql_subscription_pushes_total',
    help: 'Results pushed to subscribers, by subscription field.',
    labelNames: ['field'],
    registers: [registry],
  });
  // Both transports show from the start, at 0.
  for (const transport of ['sse', 'ws'] satisfies LiveTransport[]) active.set({ transport }, 0);
  return {
    opened: (transport) => active.inc({ transport }),
    closed: (transport) => active.dec({ transport }),
    pushed: (field, count) => pushes.inc({ field }, count),
  };
}
