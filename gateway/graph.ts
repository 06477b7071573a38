import type { Config, Domain } from '../subgraphs/kernel/config.ts';
import type { Logger } from '../subgraphs/kernel/logger.ts';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kernel/subgraph.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { startGateway, type RunningGateway } from './server.ts';

export interface RunningGraph {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  close(): Promise<void>;
}

/**
 * The whole graph in one process: every subgraph on its own port and database, and the gateway
 * reaching them over real HTTP. `ephemeralPorts` lets tests run several graphs side by side.
 */
export async function startGraph(config: Config, logger: Logger, options: { ephemeralPorts?: boolean } = {}): Promise<RunningGraph> {
  const subgraphs: RunningSubgraph[] = [];
  try {
    for (const def of SUBGRAPHS) {
      // With ephemeral ports the keys are wherever iam (started first) actually listens.
      const iamUrl = subgraphs.find((s) => s.name === 'iam')?.url;
      const jwksUrl = iamUrl ? new URL('/.well-known/jwks.json', iamUrl).toString() : config.jwt.jwksUrl;
      const scoped: Config = { ...config, jwt: { ...config.jwt, jwksUrl } };
      subgraphs.push(await startSubgraph(def as never, scoped, logger, options.ephemeralPorts ? { port: 0 } : {}));
    }
    const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Partial<Record<Domain, string>>;
    const gateway = await startGateway(config, logger.child({ service: 'gateway' }), {
      urls: urls as Record<string, string>,
      ...(options.ephemeralPorts ? { port: 0 } : {}),
    });
    return {
      gateway,
      subgraphs,
      close: async () => {
        await gateway.close();
        for (const s of [...subgraphs].reverse()) await s.close();
      },
    };
  } catch (error) {
    for (const s of subgraphs.reverse()) await s.close().catch(() => {});
    throw error;
  }
}
