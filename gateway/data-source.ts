import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Agent, request as request_ } from 'undici';
import { GraphQLError } from 'graphql';
import { currentTraceparent } from '../subgraphs/platform/events/trace.ts';
import type { Logger } from '../subgraphs/platform/logger.ts';
import type { GatewayContext } from './context.ts';
import type { InflightReads } from './inflight.ts';
import { deduplicate, expand } from './representations.ts';

type SendArgs = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0];
type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

/** The codes a client sees when a part of the graph fails; the rest of the answer still arrives. */
export const SUBGRAPH_CODES = {
  unavailable: 'SUBGRAPH_UNAVAILABLE',
  timeout: 'SUBGRAPH_TIMEOUT',
  /** A subgraph answered null (or a wrong value) where the schema promises one; the gateway nulled the nearest nullable parent. */
  invalidValue: 'SUBGRAPH_INVALID_VALUE',
} as const;

export interface ForwardingOptions {
  name: string;
  url: string;
  /** Give up on a subgraph that has not sent its headers, or stalls its body, this long; 0 or unset: wait. */
  timeoutMs?: number;
  onFetch?: (seconds: number, ok: boolean) => void;
  /** A read was answered by an identical fetch another request had started. */
  onShared?: () => void;
  /** Where identical reads of queries in flight at once are sent only once (gateway/inflight.ts). */
  reads?: InflightReads<GatewayGraphQLResponse>;
  logger?: Logger;
}

/**
 * Forwards the caller's credentials and request id to every subgraph; each subgraph verifies
 * the token itself, so the gateway adds no identity of its own. A subgraph that cannot be
 * reached, answers garbage or takes too long becomes an error naming it (the gateway adds the
 * subgraph's name and the path), so the other subgraphs' data still reaches the client.
 */
// @ts-expect-error -- @apollo/gateway's types call sendRequest private, yet process() calls it on
// `this`, and overriding it is the one way to replace the HTTP client without its per-call Request.
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  private readonly reads: InflightReads<GatewayGraphQLResponse> | undefined;
  private readonly onShared: (() => void) | undefined;
  private readonly agent: Agent;
  private readonly onFetch: ((seconds: number, ok: boolean) => void) | undefined;

  constructor(options: ForwardingOptions) {
    const { name, timeoutMs = 0, onFetch, logger, url } = options;
    super({ url });
    // undici's own request API on a keep-alive pool per subgraph: the same client as Node's fetch
    // without the WHATWG Request/Response/stream layers, which cost a quarter of the gateway's CPU
    // per request (docs/performance.md). A subgraph that sends no headers or stalls its body for
    // timeoutMs is given up on.
    this.agent = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 });
    this.onFetch = onFetch;
    this.subgraph = name;
    this.timeoutMs = timeoutMs;
    this.logger = logger;
    this.reads = options.reads;
    this.onShared = options.onShared;
  }

  override async sendRequest(request: GatewayGraphQLRequest, _context: GatewayContext): Promise<GatewayGraphQLResponse> {
    const { http, ...payload } = request;
    if (!http) throw new Error('Only HTTP requests reach a subgraph.');
    const started = performance.now();
    let ok = false;
    try {
      const res = await request_(http.url, { method: 'POST', headers: Object.fromEntries(http.headers), body: JSON.stringify(payload), dispatcher: this.agent });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode > 299) {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        throw await this.errorFromResponse(new Response(text, { status: res.statusCode, headers }) as unknown as FetcherResponse);
      }
      const body: unknown = JSON.parse(text);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`Expected a JSON object from the ${this.subgraph} subgraph.`);
      ok = true;
      return body as GatewayGraphQLResponse;
    } finally {
      this.onFetch?.((performance.now() - started) / 1000, ok);
    }
  }

  /** Closes the pooled connections (on shutdown). */
  close(): Promise<void> {
    return this.agent.close();
  }

  override willSendRequest(args: SendArgs) {
    const { request, context } = args;
    if (!request.http) return;
    // So each subgraph can label its own metrics by client, as the gateway does.
    if (context.clientName) request.http.headers.set('apollographql-client-name', context.clientName);
    if (context.authorization) request.http.headers.set('authorization', context.authorization);
    if (context.requestId) request.http.headers.set('x-request-id', context.requestId);
    // The gateway's fetch span when tracing is on; otherwise the caller's own traceparent.
    const traceparent = currentTraceparent() ?? context.traceparent;
    if (traceparent) request.http.headers.set('traceparent', traceparent);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      // Only a query's fetches: a mutation's later reads must see its own writes, never a read begun before them.
      const shareable = this.reads && 'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
      if (!shareable) return await this.fetchDistinct(options);
      const { request, context } = options;
      // Only the token changes what a subgraph answers; request id, trace and client name only label it.
      const key = `${this.subgraph}\u0000${context.authorization ?? ''}\u0000${request.query}\u0000${JSON.stringify(request.variables ?? {})}`;
      return await this.reads!.read(key, () => this.fetchDistinct(options), this.onShared);
    } catch (error) {
      return { errors: [this.describe(error, options.context?.requestId)] };
    }
  }

  /** Sends each distinct entity representation once (gateway/representations.ts). */
  private async fetchDistinct(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const representations = options.request.variables?.representations;
    const distinct = Array.isArray(representations) ? deduplicate(representations) : null;
    if (!distinct) return super.process(options);
    const request = { ...options.request, variables: { ...options.request.variables, representations: distinct.unique } };
    return expand(await super.process({ ...options, request }), distinct);
  }

  /** A failed fetch as a GraphQL error the client can act on, without the internals behind it. */
  private describe(error: unknown, requestId: string | undefined): GraphQLError {
    const code = (error as GraphQLError | undefined)?.extensions?.code;
    // A 400 with a coded GraphQL error (see errorFromResponse) is the caller's mistake: pass it on.
    if (error instanceof GraphQLError && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' && !error.extensions.response) {
      return error;
    }
    const name = (error as Error | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError' || name === 'HeadersTimeoutError' || name === 'BodyTimeoutError') {
      return new GraphQLError(`The ${this.subgraph} subgraph did not answer within ${this.timeoutMs} ms.`, {
        extensions: { code: SUBGRAPH_CODES.timeout },
      });
    }
    this.logger?.warn('subgraph fetch failed', {
      subgraph: this.subgraph,
      requestId,
      error: (error as Error | undefined)?.message,
      cause: ((error as { cause?: Error } | undefined)?.cause)?.message,
    });
    return new GraphQLError(`The ${this.subgraph} subgraph is unavailable.`, { extensions: { code: SUBGRAPH_CODES.unavailable } });
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
