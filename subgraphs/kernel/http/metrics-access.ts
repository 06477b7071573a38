import { timingSafeEqual } from 'node:crypto';
import type { ExposureConfig } from '../../platform/config.ts';
import { bearerToken } from '../auth/verifier.ts';
import { sendJson, type Handler } from '../../platform/http/server.ts';

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * /metrics as configured: with a bearer token configured, only for it (401 otherwise); else open
 * when public, and otherwise absent (404, as if there were no such route), the production default.
 */
export function guardMetrics(handler: Handler, exposure: Pick<ExposureConfig, 'metricsPublic' | 'metricsBearerToken'>): Handler {
  return (req, res) => {
    const required = exposure.metricsBearerToken;
    if (required) {
      const presented = bearerToken(req.headers.authorization);
      if (presented && sameSecret(presented, required)) return handler(req, res);
      res.setHeader('www-authenticate', 'Bearer');
      return sendJson(res, 401, { error: 'metrics need the configured bearer token' });
    }
    if (exposure.metricsPublic) return handler(req, res);
    return sendJson(res, 404, { error: 'not found' });
  };
}
