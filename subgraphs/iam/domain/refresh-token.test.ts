import { describe, expect, it } from 'vitest';
import { hashRefreshToken, judgeRefreshToken, newRefreshTokenValue } from './refresh-token.ts';

const now = new Date('2026-11-21T10:00:00Z');
const later = new Date('2026-11-22T10:00:00Z');

describe('refresh tokens', () => {
  it('given a fresh token, when judged, then it is valid', () => {
    expect(judgeRefreshToken({ expiresAt: later, revokedAt: null, replacedAt: null }, now)).toBe('valid');
  });

  it('given a token already exchanged, when presented again, then it is reuse', () => {
    expect(judgeRefreshToken({ expiresAt: later, revokedAt: null, replacedAt: now }, now)).toBe('reused');
  });

  it('given a revoked token, when judged, then it is revoked', () => {
    expect(judgeRefreshToken({ expiresAt: later, revokedAt: now, replacedAt: null }, now)).toBe('revoked');
  });

  it('given a token at its expiry instant, when judged, then it is expired', () => {
    expect(judgeRefreshToken({ expiresAt: now, revokedAt: null, replacedAt: null }, now)).toBe('expired');
  });

  it('given two new tokens, then they differ and are stored only as 64-hex hashes', () => {
    const a = newRefreshTokenValue();
    const b = newRefreshTokenValue();
    expect(a).not.toBe(b);
    expect(hashRefreshToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(a)).not.toBe(hashRefreshToken(b));
  });
});
