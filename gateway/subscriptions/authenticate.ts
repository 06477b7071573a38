import type { IncomingHttpHeaders } from 'node:http';
import { parseCredentials } from '../credentials.ts';
import { LIVE_CODES, LiveError } from './errors.ts';
import { errorCodes, type LiveExecutor } from './executor.ts';

/** Who subscribes: their credentials (each push runs with them) and tenant. */
export interface Principal {
  authorization: string;
  userId: string;
  orgId: string;
  roles: string[];
}

const WHO = 'query LiveSubscriber { me { id roles organization { id } } }';

/**
 * Checks the caller as a query would: through the graph's own `me`. Partner API keys (and tokens
 * of PARTNER principals) are refused: partners hear about changes through webhooks.
 */
export async function authenticate(headers: IncomingHttpHeaders, execute: LiveExecutor): Promise<Principal> {
  const credentials = parseCredentials(headers);
  if (credentials.apiKey !== undefined) {
    throw new LiveError(LIVE_CODES.partner, 'Partner API keys cannot subscribe; register a webhook endpoint instead (docs/webhooks.md).');
  }
  if (!credentials.bearer) {
    throw new LiveError(LIVE_CODES.unauthenticated, 'Subscriptions need an access token: Authorization: Bearer <token>.');
  }
  const authorization = `Bearer ${credentials.bearer}`;
  const result = await execute(WHO, {}, authorization);
  const me = (result.data as { me?: { id: string; roles: string[]; organization: { id: string } } | null } | null | undefined)?.me;
  if (!me) {
    const codes = errorCodes(result);
    if (codes.length && !codes.includes('UNAUTHENTICATED')) throw new Error(`could not identify the subscriber: ${codes.join(', ')}`);
    throw new LiveError(LIVE_CODES.unauthenticated, 'The access token is invalid or expired.');
  }
  if (me.roles.includes('PARTNER')) {
    throw new LiveError(LIVE_CODES.partner, 'Partner principals cannot subscribe; register a webhook endpoint instead (docs/webhooks.md).');
  }
  return { authorization, userId: me.id, orgId: me.organization.id, roles: me.roles };
}
