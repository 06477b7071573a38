import { describe, expect, it } from 'vitest';
import {
  acceptInvitationSchema,
  hashInvitationToken,
  invitationExpiry,
  inviteUserSchema,
  isWellFormedInvitationToken,
  judgeInvitation,
  newInvitationToken,
} from './invitation.ts';

const now = new Date('2026-12-05T10:00:00Z');
const later = new Date('2026-12-12T10:00:00Z');

describe('invitation tokens', () => {
  it('given two new tokens, then they differ, are well formed, and are stored as 64-hex hashes', () => {
    const a = newInvitationToken();
    const b = newInvitationToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^vti_[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedInvitationToken(a)).toBe(true);
    expect(hashInvitationToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashInvitationToken(a)).not.toBe(hashInvitationToken(b));
  });

  it('given something that is not one of our tokens, then it is malformed before any lookup', () => {
    for (const value of ['', 'vti_short', `vtk_${'a'.repeat(43)}`, `vti_${'a'.repeat(42)}!`]) expect(isWellFormedInvitationToken(value), value).toBe(false);
  });

  it('given a lifetime, then it expires that many seconds later', () => {
    expect(invitationExpiry(now, 7 * 24 * 3600)).toEqual(later);
  });
});

describe('judging an invitation', () => {
  const pending = { expiresAt: later, acceptedAt: null, revokedAt: null };

  it('given a pending one before its expiry, then it is valid', () => {
    expect(judgeInvitation(pending, now)).toBe('valid');
  });

  it('given one at its expiry instant, then it is expired', () => {
    expect(judgeInvitation(pending, later)).toBe('expired');
  });

  it('given an accepted one, then it is used, even if also expired', () => {
    expect(judgeInvitation({ ...pending, acceptedAt: now }, later)).toBe('accepted');
  });

  it('given one replaced by a newer invitation, then it is revoked', () => {
    expect(judgeInvitation({ ...pending, revokedAt: now }, now)).toBe('revoked');
  });
});

describe('inviteUser input', () => {
  const parse = (input: unknown) => inviteUserSchema.safeParse(input);

  it('given an email in any case and tenant roles, then the email is normalised and duplicates dropped', () => {
    expect(parse({ email: ' New.Driver@Demo.TEST ', name: ' Nia ', roles: ['DRIVER', 'DRIVER', 'DISPATCHER'] })).toEqual({
      success: true,
      data: { email: 'new.driver@demo.test', name: 'Nia', roles: ['DRIVER', 'DISPATCHER'] },
    });
  });

  it('given PLATFORM_OPERATOR among the roles, then that role is named as not grantable', () => {
    const result = parse({ email: 'a@b.test', name: 'A', roles: ['ADMIN', 'PLATFORM_OPERATOR'] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['roles', 1]);
  });

  it('given no roles, a blank name or no email, then the field at fault is named', () => {
    expect(parse({ email: 'a@b.test', name: 'A', roles: [] }).error!.issues[0]!.path).toEqual(['roles']);
    expect(parse({ email: 'a@b.test', name: '  ', roles: ['DRIVER'] }).error!.issues[0]!.path).toEqual(['name']);
    expect(parse({ email: 'not-an-email', name: 'A', roles: ['DRIVER'] }).error!.issues[0]!.path).toEqual(['email']);
  });
});

describe('acceptInvitation input', () => {
  it('given a password shorter than 8 characters, then the password is at fault', () => {
    const result = acceptInvitationSchema.safeParse({ token: 'x', password: 'short' });
    expect(result.error!.issues[0]!.path).toEqual(['password']);
  });

  it('given a long enough password and no name, then it is accepted', () => {
    expect(acceptInvitationSchema.safeParse({ token: 'x', password: 'long enough' }).success).toBe(true);
  });
});
