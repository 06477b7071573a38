import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context.ts';

type SendArgs = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0];
type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

/**
 * Forwards the caller's credentials and request id to every subgraph; each subgraph verifies
 * the token itself, so the gateway adds no identity of its own.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(config: { url: string; onFetch?: (seconds: number, ok: boolean) => void }) {
    const { onFetch, ...rest } = config;
    // Node's own fetch (undici) keeps connections alive and costs far less per call than the
    // make-fetch-happen stack the gateway uses by default.
    const timed: typeof fetch = async (input, init) => {
      const started = performance.now();
      try {
        const res = await fetch(input, init);
        onFetch?.((performance.now() - started) / 1000, res.ok);
        return res;
      } catch (error) {
        onFetch?.((performance.now() - started) / 1000, false);
        throw error;
      }
    };
    super({ ...rest, fetcher: (onFetch ? timed : fetch) as unknown as RemoteGraphQLDataSource['fetcher'] });
  }

  override willSendRequest({ request, context }: SendArgs) {
    if (!request.http) return;
    if (context.authorization) request.http.headers.set('authorization', context.authorization);
    if (context.requestId) request.http.headers.set('x-request-id', context.requestId);
    if (context.traceparent) request.http.headers.set('traceparent', context.traceparent);
  }

  /**
   * A subgraph answers 400 when the variables it receives do not coerce (a malformed DateTime,
   * say). Its error already says what is wrong, with a code: pass that on instead of "400: Bad Request".
   */
  override async errorFromResponse(response: FetcherResponse) {
    const body = await response
      .clone()
      .json()
      .catch(() => undefined);
    const first = (body as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined)?.errors?.[0];
    if (response.status === 400 && first?.extensions?.code) {
      return new GraphQLError(first.message, { extensions: { ...first.extensions } });
    }
    return super.errorFromResponse(response);
  }
}
