export interface GatewayContext {
  requestId: string;
  authorization: string | undefined;
  traceparent: string | undefined;
  /** Whose token bucket this request draws on (set by the rate limit, when it is on). */
  rateLimitKey?: string;
}
