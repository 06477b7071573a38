import { ApolloLink } from '@apollo/client';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-sse';
import { Observable } from 'rxjs';
import type { SessionStore } from '../auth/session.ts';
import { endpoints } from './endpoints.ts';

/**
 * Subscriptions over GraphQL over SSE (graphql-sse's client, distinct connections mode), for
 * operations whose context says `transport: 'sse'`: the tracking page, which a customer may open
 * where WebSockets are blocked. Each stream asks the session for a token as it opens.
 */
export class SseLink extends ApolloLink {
  private readonly client: Client;

  constructor(session: SessionStore) {
    super();
    this.client = createClient({
      url: endpoints.sse,
      retryAttempts: 5,
      headers: async (): Promise<Record<string, string>> => {
        const token = await session.accessToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    });
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable((sink) =>
      this.client.subscribe(
        { query: print(operation.query), variables: operation.variables, ...(operation.operationName ? { operationName: operation.operationName } : {}) },
        {
          next: (result) => sink.next(result as ApolloLink.Result),
          complete: () => sink.complete(),
          // A refusal comes as the graph's errors; keep them as GraphQL errors so their codes show.
          error: (err: unknown) => {
            if (Array.isArray(err)) {
              sink.next({ errors: err });
              sink.complete();
            } else sink.error(err instanceof Error ? err : new Error(String(err)));
          },
        },
      ),
    );
  }
}
