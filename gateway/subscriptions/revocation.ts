import { decodeJwt } from 'jose';
import type { DenyList } from '../../subgraphs/kernel/auth/deny-list.ts';
import { TOKEN_REVOKED_MESSAGE } from '../../subgraphs/platform/errors.ts';
import { isRole } from '../../subgraphs/kernel/auth/roles.ts';
import { bearerToken } from '../../subgraphs/kernel/auth/verifier.ts';
import type { Principal } from './authenticate.ts';
import { LIVE_CODES, LiveError } from './errors.ts';

/**
 * Whether the deny-list refuses the subscriber's token. The token's signature was checked by iam
 * when the subscriber was authenticated, so only its claims (`iat`, `roles`) are read here.
 */
export function tokenRevoked(denyList: DenyList, principal: Principal): boolean {
  const token = bearerToken(principal.authorization);
  if (!token) return false;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    return false;
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [];
  const issuedAtSec = typeof claims.iat === 'number' ? claims.iat : 0;
  return denyList.refuses({ userId: principal.userId, orgId: principal.orgId, roles }, issuedAtSec) !== undefined;
}

export const tokenRevokedError = () => new LiveError(LIVE_CODES.unauthenticated, TOKEN_REVOKED_MESSAGE, { reason: 'TOKEN_REVOKED' });
