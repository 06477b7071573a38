import type { Logger } from './logger.ts';
import type { Principal } from './auth/principal.ts';

/** What every resolver of every subgraph receives. */
export interface RequestContext<Db> {
  requestId: string;
  /** The verified caller, or null when the request carried no valid token. */
  principal: Principal | null;
  /** Why a presented token was rejected, so the error can say so. */
  authError: string | undefined;
  /** W3C trace context of the caller, carried on into the events this request causes. */
  traceparent: string | undefined;
  db: Db;
  now: () => Date;
  logger: Logger;
}
