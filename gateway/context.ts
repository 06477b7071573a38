export interface GatewayContext {
  requestId: string;
  authorization: string | undefined;
  traceparent: string | undefined;
  /** Whose token bucket this request draws on (set by the rate limit, when it is on). */
  rateLimitKey?: string;
  /** The client's address, trusted proxies counted (set by the login limiter, when it is on). */
  clientAddress?: string;
}
