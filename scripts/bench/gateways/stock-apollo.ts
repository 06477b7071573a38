/**
 * What a user would run with @apollo/gateway out of the box: Apollo Server's standalone server
 * over the same supergraph, its default data source (only the caller's token forwarded, which any
 * real deployment must add), no edge. A `npm run bench:gateways` contender, never the product.
 *   env SUPERGRAPH_PATH, PORT
 */
import { readFile } from 'node:fs/promises';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ForwardToken, type TokenContext } from './forward-token.ts';

const server = new ApolloServer<TokenContext>({
  gateway: new ApolloGateway({
    supergraphSdl: await readFile(process.env.SUPERGRAPH_PATH!, 'utf8'),
    buildService: ({ url }) => new ForwardToken({ url }),
  }),
});
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
process.stdout.write(`stock @apollo/gateway at ${url}\n`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
