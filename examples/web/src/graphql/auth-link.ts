import { ApolloLink, CombinedGraphQLErrors } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { SetContextLink } from '@apollo/client/link/context';
import { from, mergeMap } from 'rxjs';
import type { SessionStore } from '../auth/session.ts';

const unauthenticated = (error: unknown) =>
  CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');

/**
 * The bearer token on every request, fresh (the session refreshes it when it is close to
 * expiry); and when the graph still answers UNAUTHENTICATED (a token revoked early, a clock
 * skew), one rotation and one retry.
 */
export function createAuthLink(session: SessionStore): ApolloLink {
  const bearer = new SetContextLink(async (prev) => {
    const token = await session.accessToken();
    return { headers: { ...prev.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });
  const retry = new ErrorLink(({ error, operation, forward }) => {
    if (!unauthenticated(error) || operation.getContext().retriedAuth || !session.current) return;
    operation.setContext({ retriedAuth: true });
    return from(session.refresh()).pipe(
      mergeMap((next) => {
        if (next) operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({ headers: { ...headers, authorization: `Bearer ${next.accessToken}` } }));
        return forward(operation);
      }),
    );
  });
  return ApolloLink.from([retry, bearer]);
}
