import { RemoteGraphQLDataSource } from '@apollo/gateway';

/** What a bare gateway's context holds: the caller's Authorization header. */
export interface TokenContext {
  authorization?: string;
}

/** Apollo's data source as it comes, plus the one thing any real deployment adds: the caller's token. */
export class ForwardToken extends RemoteGraphQLDataSource<TokenContext> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<TokenContext>['willSendRequest']>>[0]) {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}
