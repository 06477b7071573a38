import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from './context.ts';

/**
 * Identical subgraph reads in flight at once are sent once. Under load many clients ask for the
 * same thing (a board, a popular order); each asks its subgraphs the same question with the same
 * token. A read joins a running fetch only if no write has completed through this gateway since
 * that fetch started, so a caller never misses a write it saw completed (read-your-writes); a
 * change made elsewhere (an event, another gateway) can be missed by at most the running fetch,
 * as if the request had arrived that much earlier. Each joiner gets its own copy, since the
 * gateway merges later fetches into what it receives.
 */
export class InflightReads<T> {
  private readonly inflight = new Map<string, { epoch: number; result: Promise<T> }>();
  /** Counts the writes completed through the gateway; a fetch is joinable only within its epoch. */
  private epoch = 0;

  /** A mutation has answered: reads from now on must not join a fetch started before it. */
  writeCompleted(): void {
    this.epoch++;
  }

  /** `fetch`'s result, or a copy of an identical fetch's that started since the last write (then `onShared` is called). */
  async read(key: string, fetch: () => Promise<T>, onShared?: () => void): Promise<T> {
    const running = this.inflight.get(key);
    if (running && running.epoch === this.epoch) {
      onShared?.();
      return structuredClone(await running.result);
    }
    const entry = { epoch: this.epoch, result: fetch() };
    this.inflight.set(key, entry);
    try {
      return await entry.result;
    } finally {
      if (this.inflight.get(key) === entry) this.inflight.delete(key);
    }
  }
}

/** Once a mutation has answered, no later read may join a subgraph fetch that started before it. */
export function writesEndSharing(reads: InflightReads<GatewayGraphQLResponse>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation === 'mutation') reads.writeCompleted();
        },
      };
    },
  };
}
