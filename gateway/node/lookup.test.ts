import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NODE_TYPES_QUERY, typesOfIds, type AskSubgraph } from './lookup.ts';

const OWNERS = new Map([
  ['Order', 'orders'],
  ['Route', 'planning'],
  ['Vehicle', 'planning'],
]);
type Rep = { __typename: string; id: string };

/** Subgraphs that resolve exactly the given representations, recording what they were asked. */
function subgraphs(known: Record<string, string>, failing: string[] = []) {
  const asked: Array<{ subgraph: string; representations: Rep[] }> = [];
  const ask: AskSubgraph = async (subgraph, query, variables) => {
    expect(query).toBe(NODE_TYPES_QUERY);
    const representations = variables.representations as Rep[];
    asked.push({ subgraph, representations });
    if (failing.includes(subgraph)) return { errors: [{ message: `The ${subgraph} subgraph is unavailable.`, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] };
    return { data: { _entities: representations.map((r) => (known[r.id] === r.__typename ? { __typename: r.__typename } : null)) } };
  };
  return { ask, asked };
}

describe('which type each id is', () => {
  it('asks each owning subgraph once, about every id as every type it owns', async () => {
    const { ask, asked } = subgraphs({ o1: 'Order', r1: 'Route', v1: 'Vehicle' });
    const types = await typesOfIds(['r1', 'x', 'o1', 'v1'], OWNERS, ask);
    expect(Object.fromEntries(types)).toEqual({ r1: 'Route', x: null, o1: 'Order', v1: 'Vehicle' });
    expect(asked.map((a) => a.subgraph).sort()).toEqual(['orders', 'planning']);
    expect(asked.find((a) => a.subgraph === 'planning')!.representations).toHaveLength(8);
  });

  it('says why for an id an unavailable owner might have had, and still answers the ids another owner claimed', async () => {
    const { ask } = subgraphs({ o1: 'Order' }, ['planning']);
    const types = await typesOfIds(['o1', 'x'], OWNERS, ask);
    expect(types.get('o1')).toBe('Order');
    const unknown = types.get('x');
    expect(unknown).toBeInstanceOf(GraphQLError);
    expect((unknown as GraphQLError).extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  });

  it('takes a representation an owner answers with an error as not of that type', async () => {
    const ask: AskSubgraph = async (_subgraph, _query, variables) => ({
      data: { _entities: (variables.representations as Rep[]).map(() => null) },
      errors: [{ message: 'boom', path: ['_entities', 0] }],
    });
    expect(Object.fromEntries(await typesOfIds(['a'], OWNERS, ask))).toEqual({ a: null });
  });
});
