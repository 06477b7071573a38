import type { Logger } from './logger.ts';
import type { Principal } from './auth/principal.ts';

/** What every resolver of every subgraph receives. */
export interface RequestContext<Db> {
  requestId: string;
  /** The verified caller, or null when the request carried no valid token. */
  principal: Principal | null;
  /** Why a presented token was rejected, so the error can say so. */
  authError: string | undefined;
  db: Db;
  now: () => Date;
  logger: Logger;
}
