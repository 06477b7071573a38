import { randomUUID } from 'node:crypto';

/** What a request id may look like: a UUID, a trace-style hex id, a load balancer's token. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id the gateway forwards and logs: the caller's when it is short and plain, else a
 * fresh one. It ends up in every subgraph's logs, spans and audit records, so neither kilobytes
 * nor control characters may come through.
 */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}
