import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { isArgumentError, isInternal } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * The other half of masking (formatError is the first): every internal error is logged in full
 * under its request id, and in production the client gets only that id to quote, in the message
 * and as `extensions.requestId`. The gateway and every subgraph install it.
 */
export function internalErrors<C extends { requestId: string }>(options: { production: boolean; logger: Logger }): ApolloServerPlugin<C> {
  const { production, logger } = options;
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, request }) {
          for (const error of errors) {
            // A subgraph's error reaches the gateway already masked; the subgraph logged it.
            if (!isInternal(error.extensions?.code) || typeof error.extensions?.serviceName === 'string') continue;
            // Bad paging arguments: formatError answers BAD_USER_INPUT, so they are not ours to log.
            if (isArgumentError(error)) continue;
            const original = error.originalError ?? error;
            logger.error('internal error', {
              requestId: contextValue.requestId,
              operationName: request.operationName,
              path: error.path?.join('.'),
              error: original.message,
              stack: original.stack,
            });
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (!production || response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const { requestId } = contextValue;
          const result = response.body.singleResult as { errors?: readonly GraphQLFormattedError[] };
          result.errors = result.errors!.map((e) =>
            e.extensions?.code === 'INTERNAL_SERVER_ERROR'
              ? { ...e, message: `Internal server error (request ${requestId}).`, extensions: { ...e.extensions, requestId } }
              : e,
          );
        },
      };
    },
  };
}
