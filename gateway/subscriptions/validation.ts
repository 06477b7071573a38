import { GraphQLError, type ValidationRule } from 'graphql';
import { LIVE_CODES } from './errors.ts';

/**
 * For /graphql: a subscription there is refused with SUBSCRIPTION_NOT_OVER_HTTP and where to
 * send it (Apollo files it as a validation error; gateway.ts keeps this code).
 */
export function refuseSubscriptionsOverHttp(streamPath: string): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      if (node.operation !== 'subscription') return;
      context.reportError(
        new GraphQLError(`Subscriptions are served over Server-Sent Events at ${streamPath} or WebSocket (graphql-ws) at /graphql, not over plain HTTP.`, {
          nodes: [node],
          extensions: { code: LIVE_CODES.notOverHttp.code, streamPath },
        }),
      );
    },
  });
}

/** The code a validation error came with, under Apollo's GRAPHQL_VALIDATION_FAILED. */
export function liveValidationCode(error: unknown): string | undefined {
  const original = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError;
  const code = original?.extensions?.code;
  return code === LIVE_CODES.notOverHttp.code ? code : undefined;
}
