/**
 * The child process of `npm run bench:edge`: the embedded graph with its full edge on one port,
 * and a bare @apollo/gateway (no plugins, no limits, Node's fetch like ours) over the same
 * subgraphs on another, so both are measured under the same conditions. Prints one JSON line
 * with both URLs once ready, and runs until killed.
 */
import { readFile } from 'node:fs/promises';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { startGraph } from '../../subgraphs/system/graph.ts';
import { loadConfig } from '../../subgraphs/platform/config.ts';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import { onShutdown } from '../../subgraphs/kernel/main.ts';
import { ForwardToken, type TokenContext } from './gateways/forward-token.ts';

const config = loadConfig({
  ...process.env,
  DATA_DIR: 'memory://',
  LOG_LEVEL: 'warn',
  // On, at a rate no run reaches: the bucket's work is measured, its refusals are not.
  GATEWAY_RATE_LIMIT_PER_SECOND: '1000000',
  GATEWAY_RATE_LIMIT_BURST: '1000000',
});
const graph = await startGraph(config, createLogger(config.logLevel), { ephemeralPorts: true });
const urls = Object.fromEntries(graph.subgraphs.map((s) => [s.name, s.url]));

const bare = new ApolloServer<TokenContext>({
  gateway: new ApolloGateway({
    supergraphSdl: await readFile(config.gateway.supergraphPath, 'utf8'),
    buildService: ({ name }) => new ForwardToken({ url: urls[name], fetcher: fetch as never }),
  }),
});
const { url: bareUrl } = await startStandaloneServer(bare, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});

process.stdout.write(`${JSON.stringify({ edge: graph.gateway.graphqlUrl, bare: bareUrl })}\n`);
onShutdown(async () => {
  await bare.stop();
  await graph.close();
});
