export interface GatewayContext {
  requestId: string;
  authorization: string | undefined;
  traceparent: string | undefined;
}
