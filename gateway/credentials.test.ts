import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newApiKeySecret } from '../subgraphs/kernel/auth/api-key-secret.ts';
import { credentialsOf, forwardedAuthorization, keyExchanged, parseCredentials, partnerOf, presentedKey } from './credentials.ts';

const SECRET = newApiKeySecret();

describe('reading a request’s credentials', () => {
  it('takes the key from x-api-key, else from Authorization: ApiKey', () => {
    expect(presentedKey({ 'x-api-key': ` ${SECRET} ` })).toBe(SECRET);
    expect(presentedKey({ authorization: `ApiKey ${SECRET}` })).toBe(SECRET);
    expect(presentedKey({ authorization: `apikey ${SECRET}` })).toBe(SECRET);
    expect(presentedKey({ authorization: 'Bearer a.b.c' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '' })).toBe('');
  });

  it('takes the bearer token from Authorization: Bearer, and nothing from another scheme', () => {
    expect(parseCredentials({ authorization: 'Bearer a.b.c' })).toEqual({ authorization: 'Bearer a.b.c', bearer: 'a.b.c', apiKey: undefined });
    expect(parseCredentials({ authorization: 'bearer   a.b.c ' }).bearer).toBe('a.b.c');
    expect(parseCredentials({ authorization: 'Basic abc' }).bearer).toBeUndefined();
    expect(parseCredentials({ authorization: 'Bearer a b' }).bearer).toBeUndefined();
  });

  it('tells a partner’s token by its client and key claims; any other token or garbage is not a partner', () => {
    const partner = (authorization: string | undefined) => partnerOf(parseCredentials({ authorization }));
    const token = (claims: object) => `Bearer h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(partner(token({ sub: 'p', client: 'shop', akid: 'k1' }))).toEqual({ clientName: 'shop', apiKeyId: 'k1' });
    expect(partner(token({ sub: 'u1', org: 'o1' }))).toBeUndefined();
    expect(partner(token({ client: 'shop' }))).toBeUndefined();
    expect(partner('Bearer not-a-jwt')).toBeUndefined();
    expect(partner('Bearer h.%%%.sig')).toBeUndefined();
    expect(partner(undefined)).toBeUndefined();
  });

  it('given a key exchanged for a request, then that request acts as the key’s principal and its headers are left as they came', () => {
    const req = { headers: { 'x-api-key': SECRET } } as unknown as IncomingMessage;
    expect(credentialsOf(req).apiKey).toBe(SECRET);
    keyExchanged(req, { apiKeyId: 'k1', clientName: 'shop', accessToken: 'tok' });
    const credentials = credentialsOf(req);
    expect(partnerOf(credentials)).toEqual({ clientName: 'shop', apiKeyId: 'k1' });
    expect(forwardedAuthorization(credentials)).toBe('Bearer tok');
    expect(req.headers).toEqual({ 'x-api-key': SECRET });
    // Another request is nobody's partner.
    expect(credentialsOf({ headers: {} } as IncomingMessage).partner).toBeUndefined();
  });
});
