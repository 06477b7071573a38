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
export function createWsLink(session: SessionStore): { link: GraphQLWsLink; onReconnected(listener: () => void): () => void } {
  let socket: WebSocket | undefined;
  let connections = 0;
  const reconnected = new Set<() => void>();
  let restarting = false;
  const client = createClient({
    url: endpoints.ws(),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // A restart of ours reconnects at once; a lost network backs off (1 s, 2 s, 4 s … up to 30 s).
    retryWait: async (retries) => {
      const ms = restarting ? 0 : Math.min(30_000, 1000 * 2 ** retries);
      restarting = false;
      await new Promise((r) => setTimeout(r, ms));
    },
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
      // Nothing is pushed on subscribing: what changed while the socket was down must be read again.
      connected: () => {
        if (connections++ > 0) for (const l of reconnected) l();
      },
    },
  });
  session.subscribe(() => {
    if (socket?.readyState !== WebSocket.OPEN) return;
    restarting = true;
    socket.close(RESTART, 'session rotated');
  });
  return {
    link: new GraphQLWsLink(client),
    onReconnected: (listener) => {
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
  };
}
