import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { WebhooksConfig } from '../config.ts';
import { startDispatcher, type Dispatcher } from './dispatcher.ts';
import { pruneFinished } from './retention.ts';
import { createSender, systemResolver, type Resolver } from './sender.ts';

export interface WebhooksServices {
  settings: WebhooksConfig;
  dispatcher: Dispatcher;
  /** How hosts are resolved for the SSRF checks (DNS; tests may replace it). */
  resolve: Resolver;
  close(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function createWebhooksServices(deps: SubgraphDeps<PrismaClient, WebhooksConfig>): Promise<WebhooksServices> {
  const settings = deps.settings;
  const sender = createSender({ timeoutMs: settings.timeoutMs, blockPrivateNetworks: settings.blockPrivateNetworks });
  const dispatcher = startDispatcher({ database: deps.database, sender, settings, logger: deps.logger.child({ component: 'webhook-dispatcher' }) });
  const logger = deps.logger.child({ component: 'webhook-retention' });
  const prune = async () => {
    try {
      const pruned = await pruneFinished(deps.database, new Date(Date.now() - settings.retentionDays * DAY_MS));
      if (pruned.deliveries || pruned.inbox) logger.info('finished webhook deliveries past retention pruned', pruned);
    } catch (error) {
      logger.warn('webhook retention failed; will retry', { error: (error as Error).message });
    }
  };
  const timer = setInterval(() => void prune(), settings.pruneEveryMs);
  timer.unref();
  return {
    settings,
    dispatcher,
    resolve: systemResolver,
    close: async () => {
      clearInterval(timer);
      await dispatcher.close();
      await sender.close();
    },
  };
}
