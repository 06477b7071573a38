import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { clientSchema, compose, printSubgraphs, readSupergraphConfig } from './lib/composition.ts';

describe('committed schemas', () => {
  it('match what the subgraphs print and compose today (run `npm run compose` when this fails)', async () => {
    const config = await readSupergraphConfig();
    const sdls = printSubgraphs();
    for (const [name, sdl] of sdls) {
      const file = config.subgraphs[name]!.schema.file;
      expect(await readFile(file, 'utf8'), `${file} is stale`).toBe(sdl);
    }
    const supergraph = compose(config, sdls);
    expect(await readFile('schemas/supergraph.graphql', 'utf8'), 'supergraph.graphql is stale').toBe(supergraph);
    expect(await readFile('schemas/api.graphql', 'utf8'), 'api.graphql is stale').toBe(clientSchema(supergraph));
  });

  it('publish the client-facing schema with the gateway\'s Subscription type, for tools that read files', async () => {
    const api = await readFile('schemas/api.graphql', 'utf8');
    expect(api).toMatch(/^type Subscription {$/m);
    expect(api).toMatch(/orderUpdated\(id: ID!\): Order!/);
    expect(api).toMatch(/routeProgress\(routeId: ID!\): Route!/);
    expect(api).toMatch(/dispatchBoard\(depotId: ID!, date: String!\): \[Route!\]!/);
    // The API schema, not the supergraph: no federation machinery.
    expect(api).not.toMatch(/join__|link__|_entities/);
  });

  it('keep the public API names apps and partners depend on', async () => {
    const supergraph = await readFile('schemas/supergraph.graphql', 'utf8');
    for (const name of [
      'login(email: String!, password: String!): AuthPayload!',
      'refreshToken(refreshToken: String!): AuthPayload!',
      'logout(refreshToken: String!): Boolean!',
      'createOrder(input: CreateOrderInput!): Order!',
      'cancelOrder(id: ID!, reason: String): Order!',
      'order(id: ID!): Order',
    ]) {
      expect(supergraph).toContain(name);
    }
    expect(supergraph).toMatch(/orders\(status: OrderStatus, before: String, after: String, first: Int, last: Int\): OrderConnection!/);
  });

  it('publish Node and node/nodes for refetching, with each type keyed by id implementing Node', async () => {
    const api = await readFile('schemas/api.graphql', 'utf8');
    expect(api).toMatch(/^interface Node {\n  id: ID!\n}$/m);
    expect(api).toMatch(/^  node\(id: ID!\): Node$/m);
    expect(api).toMatch(/^  nodes\(ids: \[ID!\]!\): \[Node\]!$/m);
    for (const type of ['Depot', 'Invoice', 'Order', 'Organization', 'RateCard', 'Route', 'User', 'Vehicle']) expect(api).toMatch(new RegExp(`^type ${type} implements Node {$`, 'm'));
    // The gateway serves it itself: composed like the others, routed nowhere.
    expect((await readSupergraphConfig()).subgraphs.node?.routing_url).toBe('local://node');
  });

  it('refuses a supergraph.yaml that forgets a subgraph', async () => {
    const config = await readSupergraphConfig();
    const { orders: _dropped, ...rest } = config.subgraphs;
    expect(() => compose({ subgraphs: rest }, printSubgraphs())).toThrow(/does not list: orders/);
  });

  it('fails composition loudly when subgraphs disagree', async () => {
    const config = await readSupergraphConfig();
    const sdls = printSubgraphs();
    // Two subgraphs both defining a non-shareable field is a composition error.
    sdls.set('orders', `${sdls.get('orders')}\ntype Organization @key(fields: "id") { name: String! }`);
    expect(() => compose(config, sdls)).toThrow(/Composition failed/);
  });
});
