import { webhooksConfig, type WebhooksConfig } from './config.ts';
import { runSubgraphMain } from '../kernel/main.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { WEBHOOK_TOPICS } from './domain/event-types.ts';
import { webhooksConsumer } from './events/webhooks-consumer.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { buildWebhooksSchema } from './schema/index.ts';
import { createWebhooksServices, type WebhooksServices } from './services/index.ts';

export const webhooks: SubgraphDefinition<PrismaClient, WebhooksServices, WebhooksConfig> = {
  name: 'webhooks',
  port: 4007,
  config: webhooksConfig,
  migrationsDir: 'prisma/webhooks/migrations',
  createClient: (adapter) => new PrismaClient({ adapter }),
  schema: buildWebhooksSchema,
  services: createWebhooksServices,
  // One group over the producers' topics; a queued delivery wakes the dispatcher at once.
  consumers: (_deps, services) => [webhooksConsumer(() => services.dispatcher.notify())],
  metrics: (services) => {
    const s = services.dispatcher.stats();
    return [
      '# HELP webhook_attempts_total Webhook POSTs sent by this process.',
      '# TYPE webhook_attempts_total counter',
      `webhook_attempts_total{outcome="delivered"} ${s.delivered}`,
      `webhook_attempts_total{outcome="failed"} ${s.failedAttempts}`,
      '# HELP webhook_attempts_in_flight Webhook POSTs awaiting their answer.',
      '# TYPE webhook_attempts_in_flight gauge',
      `webhook_attempts_in_flight ${s.inFlight}`,
      '',
    ].join('\n');
  },
  closeServices: async (services) => services.close(),
};

runSubgraphMain(import.meta.url, webhooks);
