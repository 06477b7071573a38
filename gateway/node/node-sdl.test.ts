import { describe, expect, it } from 'vitest';
import { nodeSubgraphSdl, nodeTypesOf, NODE_SUBGRAPH } from './node-sdl.ts';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@extends"])\n';

describe('the node subgraph generated from the others', () => {
  it('lists each type a subgraph owns and keys by id, with its owner, and none it only extends', () => {
    const sdls = new Map([
      ['orders', `${LINK}type Order @key(fields: "id") { id: ID! status: String! }\ntype User @key(fields: "id") @extends { id: ID! orders: [Order!]! }`],
      ['iam', `${LINK}type User @key(fields: "id") { id: ID! email: String! }`],
    ]);
    expect([...nodeTypesOf(sdls)]).toEqual([
      ['Order', 'orders'],
      ['User', 'iam'],
    ]);
  });

  it('leaves out values, types keyed otherwise, unresolvable keys, nullable ids and its own stubs', () => {
    const sdls = new Map([
      [
        'billing',
        `${LINK}type Money { amount: String! }
type Line @key(fields: "invoiceId position") { invoiceId: ID! position: Int! }
type Stub @key(fields: "id", resolvable: false) { id: ID! }
type Loose @key(fields: "id") { id: ID }
type Invoice @key(fields: "id") @key(fields: "number") { id: ID! number: String! }`,
      ],
      [NODE_SUBGRAPH, nodeSubgraphSdl(['Ghost'])],
    ]);
    expect([...nodeTypesOf(sdls).keys()]).toEqual(['Invoice']);
  });

  it('refuses two subgraphs that both own a type', () => {
    const own = `${LINK}type Order @key(fields: "id") { id: ID! }`;
    expect(() => nodeTypesOf(new Map([['a', own], ['b', own]]))).toThrow(/Both a and b own type Order/);
  });

  it('declares Node, node, nodes and an id-only stub per type that the planner may not jump to', () => {
    const sdl = nodeSubgraphSdl(['Order', 'Route']);
    expect(sdl).toMatch(/^interface Node {\n  id: ID!\n}$/m);
    expect(sdl).toMatch(/^  node\(id: ID!\): Node$/m);
    expect(sdl).toMatch(/^  nodes\(ids: \[ID!\]!\): \[Node\]!$/m);
    expect(sdl).toContain('type Order implements Node\n  @key(fields: "id", resolvable: false)\n{\n  id: ID!\n}');
    expect(sdl).toContain('type Route implements Node\n  @key(fields: "id", resolvable: false)\n{\n  id: ID!\n}');
  });
});
