import { readFile } from 'node:fs/promises';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import type { Config } from '../subgraphs/kernel/config.ts';
import { formatError } from '../subgraphs/kernel/errors.ts';
import type { GatewayContext } from './context.ts';
import { ForwardingDataSource } from './data-source.ts';

export interface GatewayOptions {
  /** Subgraph name → GraphQL URL; overrides the supergraph's routing URLs. */
  urls: Record<string, string>;
}

/**
 * Apollo Server over the committed supergraph, routing each subgraph to its configured URL.
 * Also returns where each subgraph of the supergraph is reached, for the readiness check.
 */
export async function createGateway(config: Config, options: GatewayOptions) {
  const supergraphSdl = await readFile(config.gateway.supergraphPath, 'utf8');
  const routes = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.urls[name] ?? url!;
      routes.set(name, target);
      return new ForwardingDataSource({ url: target });
    },
  });
  const production = config.env === 'production';
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatError(formatted, { production }),
    plugins: [
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }),
    ],
  });
  await server.start();
  return { server, routes };
}
