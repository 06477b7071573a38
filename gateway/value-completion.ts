import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../subgraphs/platform/logger.ts';
import type { GatewayContext } from './context.ts';
import { SUBGRAPH_CODES } from './data-source.ts';

interface CompletionProblem {
  message: string;
  path?: ReadonlyArray<string | number>;
}

/**
 * Every null the gateway put where the schema promises a value is an error in `errors`, as the
 * GraphQL spec asks. Apollo Gateway files these value-completion problems (a subgraph answered
 * null for a non-null field, an entity reference resolved to null for this caller) under
 * `extensions.valueCompletion` when no subgraph reported an error, so a client could receive
 * `data: null` and no error at all. They move to `errors`, each with its path and a stable code;
 * and a `data: null` that is still unexplained gets an error of its own.
 */
export function valueCompletionErrors(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, request }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult as {
            data?: Record<string, unknown> | null;
            errors?: readonly GraphQLFormattedError[];
            extensions?: Record<string, unknown>;
          };
          const { valueCompletion, ...extensions } = result.extensions ?? {};
          const problems = Array.isArray(valueCompletion) ? (valueCompletion as CompletionProblem[]) : [];
          const added: GraphQLFormattedError[] = problems.map((p) => ({
            message: p.message,
            ...(p.path ? { path: [...p.path] } : {}),
            extensions: { code: SUBGRAPH_CODES.invalidValue },
          }));
          if (!added.length && result.data === null && !result.errors?.length) {
            added.push({ message: 'The graph could not complete this response.', extensions: { code: SUBGRAPH_CODES.invalidValue } });
          }
          if (!added.length) return;
          logger.warn('null in a non-null position', { requestId: contextValue.requestId, operationName: request.operationName, paths: added.map((e) => e.path?.join('.')) });
          result.errors = [...(result.errors ?? []), ...added];
          result.extensions = Object.keys(extensions).length ? extensions : undefined;
          if (!result.extensions) delete result.extensions;
        },
      };
    },
  };
}
