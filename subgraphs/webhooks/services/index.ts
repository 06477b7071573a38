import type { WebhooksConfig } from '../../kernel/config.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { startDispatcher, type Dispatcher } from './dispatcher.ts';
import { createSender } from './sender.ts';

export interface WebhooksServices {
  settings: WebhooksConfig;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

export async function createWebhooksServices(deps: SubgraphDeps<PrismaClient>): Promise<WebhooksServices> {
  const settings = deps.config.webhooks;
  const sender = createSender({ timeoutMs: settings.timeoutMs, blockPrivateNetworks: settings.blockPrivateNetworks });
  const dispatcher = startDispatcher({ database: deps.database, sender, settings, logger: deps.logger.child({ component: 'webhook-dispatcher' }) });
  return {
    settings,
    dispatcher,
    close: async () => {
      await dispatcher.close();
      await sender.close();
    },
  };
}
