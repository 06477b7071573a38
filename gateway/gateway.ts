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

/** Apollo Server over the committed supergraph, routing each subgraph to its configured URL. */
export async function createGateway(config: Config, options: GatewayOptions) {
  const supergraphSdl = await readFile(config.gateway.supergraphPath, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new ForwardingDataSource({ url: options.urls[name] ?? url }),
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
  return server;
}
