import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { getMainDefinition } from '@apollo/client/utilities';
import { SessionStore } from '../auth/session.ts';
import { LoginDocument, LogoutDocument, RefreshDocument } from '../auth/auth-operations.ts';
import { createAuthLink } from './auth-link.ts';
import { endpoints } from './endpoints.ts';
import { createPersistedLink } from './persisted-link.ts';
import { SseLink } from './sse-link.ts';
import { createWsLink } from './ws-link.ts';

const isSubscription = (op: ApolloLink.Operation) => {
  const def = getMainDefinition(op.query);
  return def.kind === 'OperationDefinition' && def.operation === 'subscription';
};

/** Requests and mutations over HTTP, by persisted id. */
const httpLink = () => ApolloLink.from([createPersistedLink(), new HttpLink({ uri: endpoints.http })]);

export interface Graph {
  client: ApolloClient;
  session: SessionStore;
  /** Throws the graph's error (its code shown by ErrorView) when refused. */
  signIn(email: string, password: string): Promise<void>;
  /** The graphql-ws socket is back (after a token rotation or a network drop): re-read what it feeds. */
  onLiveReconnected(listener: () => void): () => void;
}

/**
 * The app's Apollo Client: HTTP for queries and mutations, graphql-ws for subscriptions, and
 * graphql-sse for those that ask for it (`context: { transport: 'sse' }`). Sign-in and token
 * rotation go through a client of their own, without the auth link, so a refresh never waits on
 * itself.
 */
export function createGraph(): Graph {
  const bare = new ApolloClient({ link: httpLink(), cache: new InMemoryCache() });
  const session = new SessionStore({
    refresh: async (refreshToken) => {
      const { data } = await bare.mutate({ mutation: RefreshDocument, variables: { refreshToken } });
      if (!data) throw new Error('refresh refused');
      return data.refreshToken;
    },
    logout: async (refreshToken) => {
      await bare.mutate({ mutation: LogoutDocument, variables: { refreshToken } });
    },
  });
  const ws = createWsLink(session);
  const live = ApolloLink.split((op) => op.getContext().transport === 'sse', new SseLink(session), ws.link);
  const link = ApolloLink.split(isSubscription, live, ApolloLink.from([createAuthLink(session), httpLink()]));
  const client = new ApolloClient({ link, cache: new InMemoryCache(), defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } } });
  const signIn = async (email: string, password: string) => {
    const { data } = await bare.mutate({ mutation: LoginDocument, variables: { email, password } });
    if (data) session.signedIn(data.login);
  };
  return { client, session, signIn, onLiveReconnected: ws.onReconnected };
}
