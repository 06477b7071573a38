import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: the token itself is shown once and stored only as its hash. */
export const newRefreshTokenValue = (): string => randomBytes(32).toString('base64url');

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface StoredRefreshToken {
  expiresAt: Date;
  revokedAt: Date | null;
  replacedAt: Date | null;
}

export type RefreshVerdict = 'valid' | 'expired' | 'revoked' | 'reused';

/**
 * What presenting this token means. A token that was already exchanged for a new one being shown
 * again means it was copied: the caller must revoke the whole family.
 */
export function judgeRefreshToken(token: StoredRefreshToken, now: Date): RefreshVerdict {
  if (token.replacedAt) return 'reused';
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}
