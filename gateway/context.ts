export interface GatewayContext {
  requestId: string;
  /** What the subgraphs get as Authorization (gateway/credentials.ts forwardedAuthorization). */
  authorization: string | undefined;
  /** The client the request comes from: an exchanged API key's, else its apollographql-client-name header. */
  clientName?: string | undefined;
  traceparent: string | undefined;
  /** Whose token bucket this request draws on (set by the rate limit, when it is on). */
  rateLimitKey?: string;
  /** The client's address, trusted proxies counted (set by the login limiter, when it is on). */
  clientAddress?: string;
}
