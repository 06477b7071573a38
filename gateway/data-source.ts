import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayContext } from './context.ts';

/**
 * Forwards the caller's credentials and request id to every subgraph; each subgraph verifies
 * the token itself, so the gateway adds no identity of its own.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    if (!request.http) return;
    if (context.authorization) request.http.headers.set('authorization', context.authorization);
    if (context.requestId) request.http.headers.set('x-request-id', context.requestId);
  }
}
