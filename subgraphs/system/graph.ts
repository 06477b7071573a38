import type { Config, Domain } from '../platform/config.ts';
import { createEventTransport } from '../platform/events/runtime.ts';
import type { EventTransport } from '../platform/events/transport.ts';
import type { Logger } from '../platform/logger.ts';
import { startSubgraph, type RunningSubgraph } from '../kernel/subgraph.ts';
import { SUBGRAPHS } from './subgraphs.ts';
import { checkDomainSettings } from './config.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';

export interface RunningGraph {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  /** The event transport every subgraph of this process shares. */
  transport: EventTransport;
  close(): Promise<void>;
}

/**
 * The whole graph in one process: every subgraph on its own port and database, and the gateway
 * reaching them over real HTTP. `ephemeralPorts` lets tests run several graphs side by side.
 */
export async function startGraph(config: Config, logger: Logger, options: { ephemeralPorts?: boolean } = {}): Promise<RunningGraph> {
  // Every domain's own settings first: a bad value stops the start before any subgraph opens.
  checkDomainSettings(config);
  const subgraphs: RunningSubgraph[] = [];
  // One transport for the whole process: the bus only connects subgraphs that share it.
  const transport = await createEventTransport(config, logger, 'graph');
  try {
    for (const def of SUBGRAPHS) {
      // With ephemeral ports the keys are wherever iam (started first) actually listens.
      const iamUrl = subgraphs.find((s) => s.name === 'iam')?.url;
      const jwksUrl = iamUrl ? new URL('/.well-known/jwks.json', iamUrl).toString() : config.jwt.jwksUrl;
      const scoped: Config = { ...config, jwt: { ...config.jwt, jwksUrl } };
      subgraphs.push(await startSubgraph(def, scoped, logger, { transport, ...(options.ephemeralPorts ? { port: 0 } : {}) }));
    }
    const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Partial<Record<Domain, string>>;
    const gateway = await startGateway(config, logger.child({ service: 'gateway' }), {
      urls: urls as Record<string, string>,
      transport,
      ...(options.ephemeralPorts ? { port: 0 } : {}),
    });
    return {
      gateway,
      subgraphs,
      transport,
      close: async () => {
        await gateway.close();
        for (const s of [...subgraphs].reverse()) await s.close();
        await transport.close();
      },
    };
  } catch (error) {
    for (const s of subgraphs.reverse()) await s.close().catch(() => {});
    await transport.close();
    throw error;
  }
}
