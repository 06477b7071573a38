import type { IncomingMessage } from 'node:http';
import type { ApolloServerOptionsWithGateway, ApolloServerPlugin } from '@apollo/server';
import type { Handler } from '../../subgraphs/kernel/http/server.ts';
import type { GatewayContext } from '../context.ts';

/**
 * One edge feature. A feature hooks in where it needs to: Apollo's request pipeline (after the
 * body is parsed), the HTTP handler of the GraphQL endpoint (before anything is read), routes of
 * its own, or Apollo Server options.
 */
export interface GatewayPlugin {
  name: string;
  apollo?: ApolloServerPlugin<GatewayContext>;
  /** Wraps the GraphQL endpoint's handler; the first plugin's wrapper runs first. */
  http?: (next: Handler) => Handler;
  routes?: Record<string, Handler>;
  serverOptions?: Partial<Pick<ApolloServerOptionsWithGateway<GatewayContext>, 'persistedQueries'>>;
  /** Looks at the request's operations as read, before Apollo parses anything; an answer refuses the request. */
  inspect?(request: { method: string; body: unknown; search: URLSearchParams }): { status: number; body: unknown } | undefined;
  /** Adds to the request's context what the feature learnt from the raw request. */
  context?(req: IncomingMessage): Partial<GatewayContext>;
  /** Releases what the plugin holds (connections, timers). */
  close?(): Promise<void>;
}

/** Extensions of an error the edge raises: a stable code and the HTTP status to answer with. */
export const edgeError = (code: string, status: number, extra: Record<string, unknown> = {}) => ({
  code,
  ...extra,
  http: { status },
});
