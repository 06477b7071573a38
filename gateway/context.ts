export interface GatewayContext {
  requestId: string;
  authorization: string | undefined;
}
