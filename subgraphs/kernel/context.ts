import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../platform/logger.ts';
import type { Principal } from './auth/principal.ts';
import { bearerToken, type TokenVerifier } from './auth/verifier.ts';
import { currentTraceparent } from '../platform/events/trace.ts';

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

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** A well-formed W3C traceparent header, or nothing (a malformed one must not reach an event). */
const traceparentOf = (header: string | string[] | undefined) =>
  typeof header === 'string' && TRACEPARENT.test(header) ? header : undefined;

/**
 * A request id we keep: what the gateway (or a well-behaved caller) sends. Anything else (empty,
 * oversized, control or non-ASCII characters) is replaced, since it ends up in logs and audit records.
 */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const requestIdOf = (header: string | string[] | undefined): string =>
  typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();

/** Who is calling and under which request and trace: verified here, once per request. */
export async function requestContext<Db>(
  req: IncomingMessage,
  deps: { verify: TokenVerifier; db: Db; logger: Logger },
): Promise<RequestContext<Db>> {
  const requestId = requestIdOf(req.headers['x-request-id']);
  const token = bearerToken(req.headers.authorization);
  const verified = token ? await deps.verify(token) : undefined;
  // With tracing on, this request's own span (a child of the caller's) parents its events.
  const traceparent = traceparentOf(currentTraceparent() ?? req.headers.traceparent);
  const traceId = traceparent?.split('-')[1];
  return {
    requestId,
    principal: verified && 'principal' in verified ? verified.principal : null,
    authError: verified && 'error' in verified ? verified.error : undefined,
    traceparent,
    db: deps.db,
    now: () => new Date(),
    // Log lines of this request can be found from its trace, and the trace from them.
    logger: deps.logger.child(traceId ? { requestId, traceId } : { requestId }),
  };
}
