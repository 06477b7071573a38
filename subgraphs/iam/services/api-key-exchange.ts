import { sendJson, type Handler } from '../../platform/http/server.ts';
import type { ApiKeys } from './api-keys.ts';

export const API_KEY_EXCHANGE_PATH = '/api-keys/exchange';

const refused = { errors: [{ message: 'The API key is invalid or revoked.', extensions: { code: 'UNAUTHENTICATED' } }] };

/**
 * POST /api-keys/exchange with `x-api-key: <secret>`: the gateway trades a partner's key for a
 * short-lived access token of the key's principal, which every subgraph verifies like any other.
 * The secret travels in a header, never in a URL, so it stays out of access logs.
 */
export function apiKeyExchangeRoute(apiKeys: ApiKeys): Handler {
  return async (req, res) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { errors: [{ message: 'Use POST.', extensions: { code: 'BAD_REQUEST' } }] });
    }
    const secret = req.headers['x-api-key'];
    const exchanged = typeof secret === 'string' ? await apiKeys.exchange(secret) : null;
    if (!exchanged) return sendJson(res, 401, refused);
    sendJson(res, 200, { ...exchanged, expiresAt: exchanged.expiresAt.toISOString() });
  };
}
