import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../subgraphs/kernel/auth/verifier.ts';

/** A partner client, as a token minted for one of its API keys names it (`client` and `akid` claims). */
export interface PartnerClient {
  clientName: string;
  apiKeyId: string;
}

/**
 * What a request presents as credentials, parsed once where it enters the gateway; the stages
 * after read this, never the headers. Nothing in it is verified except `partner`, which only the
 * partner-keys stage sets, once iam has exchanged the key.
 */
export interface Credentials {
  /** The Authorization header as it came (the subgraphs get it unless a key was exchanged). */
  authorization: string | undefined;
  /** The token of `Authorization: Bearer <token>`. */
  bearer: string | undefined;
  /** A partner API key's secret: `x-api-key: <secret>`, else `Authorization: ApiKey <secret>`. */
  apiKey: string | undefined;
  /** The key this edge exchanged with iam: the key's id and client, and the token of its principal. */
  partner?: PartnerClient & { accessToken: string };
}

/** The headers credentials travel in (a WebSocket's connection_init payload may carry the same two). */
export interface CredentialHeaders {
  authorization?: string | undefined;
  'x-api-key'?: string | string[] | undefined;
}

/** The key a request presents: `x-api-key: <secret>`, else `authorization: ApiKey <secret>`. */
export function presentedKey(headers: CredentialHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string') return header.trim();
  if (Array.isArray(header)) return header.join(',');
  const match = /^ApiKey(?:\s+(.*))?$/i.exec(headers.authorization?.trim() ?? '');
  return match ? (match[1] ?? '').trim() : undefined;
}

/** Headers → credentials: the one place a bearer token or an API key is read from them. */
export function parseCredentials(headers: CredentialHeaders): Credentials {
  return { authorization: headers.authorization, bearer: bearerToken(headers.authorization), apiKey: presentedKey(headers) };
}

const parsed = new WeakMap<IncomingMessage, Credentials>();

/** This request's credentials, parsed on first use and then shared by every stage. */
export function credentialsOf(req: IncomingMessage): Credentials {
  let credentials = parsed.get(req);
  if (!credentials) parsed.set(req, (credentials = parseCredentials(req.headers)));
  return credentials;
}

/** The partner-keys stage's verdict: from here on the request acts as the key's principal. */
export function keyExchanged(req: IncomingMessage, partner: NonNullable<Credentials['partner']>): void {
  parsed.set(req, { ...credentialsOf(req), partner });
}

/** The access token the request acts with: the exchanged key's, else the bearer token presented. */
export const accessToken = (c: Credentials): string | undefined => c.partner?.accessToken ?? c.bearer;

/** The Authorization header the subgraphs get: the exchanged key's token, else the header as it came. */
export const forwardedAuthorization = (c: Credentials): string | undefined => (c.partner ? `Bearer ${c.partner.accessToken}` : c.authorization);

/**
 * The partner client the request acts for: the key exchanged here, else the claims of a bearer
 * token minted for a key. Decoded, not verified: a forged claim can only subject its sender to a
 * safelist, and every subgraph verifies the token before trusting anything in it.
 */
export function partnerOf(c: Credentials): PartnerClient | undefined {
  if (c.partner) return { clientName: c.partner.clientName, apiKeyId: c.partner.apiKeyId };
  return c.bearer ? partnerClaims(c.bearer) : undefined;
}

/** A JWT's `client` and `akid` claims, when it has both. */
export function partnerClaims(token: string): PartnerClient | undefined {
  const payload = /^[^.]+\.([^.]+)\.[^.]*$/.exec(token)?.[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { client?: unknown; akid?: unknown };
    return typeof claims.client === 'string' && typeof claims.akid === 'string' ? { clientName: claims.client, apiKeyId: claims.akid } : undefined;
  } catch {
    return undefined;
  }
}
