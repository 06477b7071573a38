import { Kind, parse, type ConstDirectiveNode, type ConstValueNode } from 'graphql';
import { NODE_SUBGRAPH } from './node-sdl.ts';

const stringArg = (d: ConstDirectiveNode, name: string): string | undefined => {
  const v: ConstValueNode | undefined = d.arguments?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.STRING || v?.kind === Kind.ENUM ? v.value : undefined;
};
const boolArg = (d: ConstDirectiveNode, name: string): boolean | undefined => {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.BOOLEAN ? v.value : undefined;
};

/**
 * Each type the node subgraph lists as a Node, with the subgraph that owns it, read from the
 * supergraph the gateway serves: the owner is the one graph that defines the type (no
 * `extension: true`) with a resolvable key on `id`. That subgraph's reference resolver decides
 * whether the caller may see an id, so it is the one `node(id:)` asks.
 */
export function nodeOwnersOf(supergraphSdl: string): Map<string, string> {
  const doc = parse(supergraphSdl);
  const graphs = new Map<string, string>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const name = value.directives?.find((d) => d.name.value === 'join__graph');
      if (name) graphs.set(value.name.value, stringArg(name, 'name')!);
    }
  }
  const owners = new Map<string, string>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const directives = def.directives ?? [];
    const isNode = directives.some((d) => d.name.value === 'join__implements' && graphs.get(stringArg(d, 'graph')!) === NODE_SUBGRAPH && stringArg(d, 'interface') === 'Node');
    if (!isNode) continue;
    const owner = directives.find(
      (d) =>
        d.name.value === 'join__type' &&
        graphs.get(stringArg(d, 'graph')!) !== NODE_SUBGRAPH &&
        stringArg(d, 'key')?.trim() === 'id' &&
        boolArg(d, 'extension') !== true &&
        boolArg(d, 'resolvable') !== false,
    );
    if (owner) owners.set(def.name.value, graphs.get(stringArg(owner, 'graph')!)!);
  }
  return owners;
}
