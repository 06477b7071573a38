import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { badInput, badInputs, unauthenticated } from '../../subgraphs/platform/errors.ts';
import { isUuid } from '../../subgraphs/platform/ids.ts';
import { nodeSubgraphSdl } from './node-sdl.ts';

export interface NodeContext {
  /** Whether the caller presented credentials at all (an anonymous caller is told to sign in, as by `order(id:)`). */
  signedIn: boolean;
  /** The type of the id, null when the caller may not see it, or why that could not be found out. */
  typeOf(id: string): Promise<string | GraphQLError | null>;
}

interface NodeRef {
  __typename: string;
  id: string;
}

async function refOf(ctx: NodeContext, id: string): Promise<NodeRef | null> {
  const type = await ctx.typeOf(id);
  if (type instanceof GraphQLError) throw type;
  // The owner fetches every other field of it, by this reference.
  return type ? { __typename: type, id } : null;
}

/** The node subgraph, executable in the gateway: it only finds out each id's type; its owner does the rest. */
export function nodeSchema(types: Iterable<string>): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(nodeSubgraphSdl(types)),
    resolvers: {
      Node: { __resolveType: (ref: unknown) => (ref as NodeRef).__typename },
      Query: {
        node: (_root: unknown, args: Record<string, unknown>, context: unknown) => {
          const { id } = args as { id: string };
          const ctx = context as NodeContext;
          if (!ctx.signedIn) throw unauthenticated();
          if (!isUuid(id)) throw badInput('id is not a valid id.', ['id']);
          return refOf(ctx, id);
        },
        nodes: (_root: unknown, args: Record<string, unknown>, context: unknown) => {
          const { ids } = args as { ids: string[] };
          const ctx = context as NodeContext;
          if (!ctx.signedIn) throw unauthenticated();
          const bad = ids.flatMap((id, at) => (isUuid(id) ? [] : [{ field: ['ids', at], message: 'is not a valid id.' }]));
          if (bad.length) throw badInputs(bad as [(typeof bad)[0], ...typeof bad]);
          // A failed lookup nulls its own entry only (with its error); the others still arrive.
          return ids.map((id) => refOf(ctx, id).catch((error: unknown) => error as Error));
        },
      },
    },
  });
}
