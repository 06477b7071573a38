import { Kind, parse, type ConstDirectiveNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';

/** The gateway's own subgraph: it answers `node(id:)` and `nodes(ids:)` in the gateway process (gateway/node/). */
export const NODE_SUBGRAPH = 'node';

/** Where supergraph.yaml routes it: nowhere over the network; the gateway builds its data source itself. */
export const NODE_ROUTING_URL = 'local://node';

const argument = (directive: ConstDirectiveNode, name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;

const isNonNullId = (type: TypeNode) => type.kind === Kind.NON_NULL_TYPE && type.type.kind === Kind.NAMED_TYPE && type.type.name.value === 'ID';

/**
 * Whether a subgraph's type is one `node(id:)` can refetch: an object this subgraph owns (not an
 * @extends of another's), that others reach by its `id` alone (a resolvable `@key(fields: "id")`),
 * and whose id is a non-null ID.
 */
function isNodeType(type: ObjectTypeDefinitionNode): boolean {
  const directives = type.directives ?? [];
  if (directives.some((d) => d.name.value === 'extends')) return false;
  const keyedById = directives.some((d) => {
    if (d.name.value !== 'key') return false;
    const fields = argument(d, 'fields');
    const resolvable = argument(d, 'resolvable');
    return fields?.kind === Kind.STRING && fields.value.trim() === 'id' && !(resolvable?.kind === Kind.BOOLEAN && !resolvable.value);
  });
  return keyedById && (type.fields ?? []).some((f) => f.name.value === 'id' && isNonNullId(f.type));
}

/** Each Node type of the graph with the subgraph that owns it, from the subgraphs' own SDLs, sorted by type. */
export function nodeTypesOf(sdls: ReadonlyMap<string, string>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [subgraph, sdl] of sdls) {
    if (subgraph === NODE_SUBGRAPH) continue;
    for (const def of parse(sdl).definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !isNodeType(def)) continue;
      const seen = owners.get(def.name.value);
      if (seen) throw new Error(`Both ${seen} and ${subgraph} own type ${def.name.value}; one of them must @extends it.`);
      owners.set(def.name.value, subgraph);
    }
  }
  return new Map([...owners].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The node subgraph's SDL: the Node interface, the two root fields, and a stub of each Node type
 * that only declares its id (resolvable: false: every other field stays its owner's, so the query
 * planner fetches them there, through the owner's own reference resolver and its authorization).
 */
export function nodeSubgraphSdl(types: Iterable<string>): string {
  const stubs = [...types].map((name) => `type ${name} implements Node\n  @key(fields: "id", resolvable: false)\n{\n  id: ID!\n}\n`);
  return `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

"""An object with an id that is unique across the graph: \`node(id:)\` fetches any of them again."""
interface Node {
  id: ID!
}

type Query {
  """Any object by its id, whatever its type; null when it does not exist or is not the caller's to see."""
  node(id: ID!): Node

  """Several objects by id at once, in the order asked, null for each one that does not exist or is not the caller's to see."""
  nodes(ids: [ID!]!): [Node]!
}
${stubs.map((s) => `\n${s}`).join('')}`;
}
