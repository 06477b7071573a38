import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { DocumentNode, FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from '../context.ts';

/** Runs a query as a given caller. */
export type LiveExecutor = (query: DocumentNode | string, variables: Record<string, unknown>, authorization: string) => Promise<FormattedExecutionResult>;

/**
 * Executes through the gateway's own Apollo Server, so a push passes the same plugins (limits,
 * metrics), query planner and subgraph authorization as any query the caller sends to /graphql.
 */
export function apolloExecutor(server: ApolloServer<GatewayContext>): LiveExecutor {
  return async (query, variables, authorization) => {
    const response = await server.executeOperation(
      { query, variables },
      { contextValue: { requestId: randomUUID(), authorization, traceparent: undefined } },
    );
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by live queries');
    return response.body.singleResult as FormattedExecutionResult;
  };
}

/** The codes in a result's errors. */
export const errorCodes = (result: FormattedExecutionResult): string[] =>
  (result.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
