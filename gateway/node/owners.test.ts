import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { nodeOwnersOf } from './owners.ts';

describe('the owners of the Node types, read from the supergraph', () => {
  it('name, for each type the node subgraph lists, the one subgraph that defines it rather than extends it', async () => {
    const owners = nodeOwnersOf(await readFile('schemas/supergraph.graphql', 'utf8'));
    expect(Object.fromEntries(owners)).toEqual({
      Depot: 'planning',
      Invoice: 'billing',
      Order: 'orders',
      Organization: 'iam',
      RateCard: 'billing',
      Route: 'planning',
      User: 'iam',
      Vehicle: 'planning',
    });
  });

  it('are none for a supergraph without the node subgraph (an older one still being served)', () => {
    const sdl = `enum join__Graph { ORDERS @join__graph(name: "orders", url: "http://orders") }
type Order @join__type(graph: ORDERS, key: "id") { id: ID! }`;
    expect(nodeOwnersOf(sdl).size).toBe(0);
  });
});
