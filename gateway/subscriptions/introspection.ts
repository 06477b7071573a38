import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { graphqlOfGateway } from './graphql-realm.ts';
import { liveSchema } from './schema.ts';

const META_FIELDS = new Set(['__schema', '__type', '__typename']);

/** True when a selection reads nothing but introspection's meta fields (fragments followed). */
function onlyMeta(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): boolean {
  return set.selections.every((s) => {
    if (s.kind === Kind.FIELD) return META_FIELDS.has(s.name.value);
    if (s.kind === Kind.INLINE_FRAGMENT) return onlyMeta(s.selectionSet, fragments, seen);
    const fragment = fragments.get(s.name.value);
    if (!fragment || seen.has(fragment.name.value)) return !!fragment;
    seen.add(fragment.name.value);
    return onlyMeta(fragment.selectionSet, fragments, seen);
  });
}

const fragmentsOf = (document: DocumentNode) =>
  new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));

/**
 * Introspection through /graphql answers the client-facing schema (schemas/api.graphql): the
 * API schema plus the Subscription type served beside it, so Sandbox, code generators and IDEs see
 * orderUpdated and the rest. Only operations that read nothing but introspection are answered
 * here (after Apollo's validation and the edge's limits); every other one runs through the
 * gateway's query planner as before, and a subscription on /graphql is still refused.
 */
export function introspectLiveSchema(apiSchema: () => GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, document, request }) {
          if (operation.operation !== 'query' || !onlyMeta(operation.selectionSet, fragmentsOf(document))) return null;
          const result = await graphqlOfGateway.execute({
            schema: liveSchema(apiSchema()),
            document,
            ...(request.operationName ? { operationName: request.operationName } : {}),
            ...(request.variables ? { variableValues: request.variables } : {}),
          });
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: result } };
        },
      };
    },
  };
}
