import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import type { SessionStore } from '../auth/session.ts';
import { endpoints } from './endpoints.ts';

/** Close code of a deliberate restart: retryable, so graphql-ws reconnects and resubscribes. */
const RESTART = 4205;

/**
 * Subscriptions over graphql-ws (the dispatcher board). The token rides in connection_init;
 * when the session rotates, the socket is restarted so the open subscriptions carry on under the
 * new token instead of ending at the old one's expiry.
 */
export function createWsLink(session: SessionStore): GraphQLWsLink {
  let socket: WebSocket | undefined;
  const client = createClient({
    url: endpoints.ws(),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: async () => {
      const token = await session.accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      opened: (s) => {
        socket = s as WebSocket;
      },
      closed: () => {
        socket = undefined;
      },
    },
  });
  session.subscribe(() => {
    if (socket?.readyState === WebSocket.OPEN) socket.close(RESTART, 'session rotated');
  });
  return new GraphQLWsLink(client);
}
