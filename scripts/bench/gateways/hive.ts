/**
 * Hive Gateway (The Guild's runtime, the engine of `@graphql-hive/gateway`) over the same
 * supergraph, configured as its docs suggest for a federated graph behind bearer tokens: the
 * caller's Authorization header propagated to the subgraphs, nothing else. A
 * `npm run bench:gateways` contender, never the product.
 *   env SUPERGRAPH_PATH, PORT
 */
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

const gateway = createGatewayRuntime({
  supergraph: process.env.SUPERGRAPH_PATH!,
  logging: 'error',
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? undefined }),
  },
});
const server = createServer(gateway);
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(`Hive Gateway at http://127.0.0.1:${process.env.PORT}/graphql\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void Promise.resolve(gateway.dispose()).then(() => process.exit(0));
});
