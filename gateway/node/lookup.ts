import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';

/** Asks one subgraph a query over the gateway's own data source for it (the caller's credentials and all). */
export type AskSubgraph = (subgraph: string, query: string, variables: Record<string, unknown>) => Promise<GatewayGraphQLResponse>;

/** Which of the representations a subgraph resolves: its reference resolvers say null for what the caller may not see. */
export const NODE_TYPES_QUERY = 'query NodeTypes($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }';

/**
 * The type of each id, asked of the subgraphs that own the Node types: each owner gets one
 * `_entities` call with every id as every type it owns, and the representation it resolves is the
 * id's type. An id no owner resolves is null (unknown, or not the caller's to see: the owners do
 * not tell the two apart, and neither does this). An id that an owner could not be asked about,
 * and that no other owner claimed, is that owner's error: the answer is unknown, not null.
 */
export async function typesOfIds(ids: readonly string[], owners: ReadonlyMap<string, string>, ask: AskSubgraph): Promise<Map<string, string | GraphQLError | null>> {
  const typesBySubgraph = new Map<string, string[]>();
  for (const [type, subgraph] of owners) typesBySubgraph.set(subgraph, [...(typesBySubgraph.get(subgraph) ?? []), type]);
  const found = new Map<string, string>();
  const failures: GraphQLError[] = [];
  await Promise.all(
    [...typesBySubgraph].map(async ([subgraph, types]) => {
      const representations = ids.flatMap((id) => types.map((type) => ({ __typename: type, id })));
      const response = await ask(subgraph, NODE_TYPES_QUERY, { representations }).catch((error: unknown) => ({ errors: [error as GraphQLError] }) as GatewayGraphQLResponse);
      const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
      if (!Array.isArray(entities) || entities.length !== representations.length) {
        const first = response.errors?.[0];
        failures.push(new GraphQLError(first?.message ?? `The ${subgraph} subgraph did not say which ids it owns.`, { extensions: { ...first?.extensions } }));
        return;
      }
      entities.forEach((entity, at) => {
        const { id, __typename } = representations[at]!;
        // Ids are UUIDv7, unique across tables; should two owners ever claim one, the first type by name wins, every time.
        if (entity && (!found.has(id) || __typename < found.get(id)!)) found.set(id, __typename);
      });
    }),
  );
  return new Map(ids.map((id) => [id, found.get(id) ?? failures[0] ?? null]));
}
