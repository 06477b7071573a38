import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** One graphql-ws connection with one subscription, collecting what arrives. */
export interface WsSubscription {
  pushes: FormattedExecutionResult[];
  /** The subscription's `error` message, or the socket's close event when it closed before any. */
  failure: unknown;
  /** The close code the server gave, once the socket closed. */
  closeCode: number | undefined;
  /** Resolves when the subscription completes, errs, or the socket closes. */
  ended: Promise<void>;
  client: Client;
  close(): Promise<void>;
}

/** Subscribes with the off-the-shelf graphql-ws client (credentials in connection_init, as browsers must). */
export function wsSubscribe(graphqlUrl: string, query: string, variables: Record<string, unknown>, connectionParams: Record<string, unknown>): WsSubscription {
  const url = graphqlUrl.replace(/^http/, 'ws');
  const out: Partial<WsSubscription> = { pushes: [], failure: undefined, closeCode: undefined };
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => void (out.closeCode = (event as { code?: number }).code) },
  });
  out.ended = new Promise<void>((resolve) => {
    client.subscribe(
      { query, variables },
      {
        next: (result) => void out.pushes!.push(result as FormattedExecutionResult),
        error: (error) => {
          out.failure = error;
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  out.client = client;
  out.close = () => client.dispose() as Promise<void>;
  return out as WsSubscription;
}
