import { describe, expect, it } from 'vitest';
import { changeUserRolesSchema, leavesNoAdmin, type MemberState } from './user-admin.ts';

const now = new Date('2026-12-05T10:00:00Z');
const ada: MemberState = { id: 'ada', roles: ['ADMIN'], deactivatedAt: null };
const abe: MemberState = { id: 'abe', roles: ['ADMIN', 'FINANCE'], deactivatedAt: null };
const dan: MemberState = { id: 'dan', roles: ['DISPATCHER'], deactivatedAt: null };

describe('keeping an organization administrable', () => {
  it('given the only admin, when their ADMIN role is removed, then nobody would be left', () => {
    expect(leavesNoAdmin([ada], { ...ada, roles: ['DISPATCHER'] })).toBe(true);
  });

  it('given the only admin, when deactivated, then nobody would be left', () => {
    expect(leavesNoAdmin([ada], { ...ada, deactivatedAt: now })).toBe(true);
  });

  it('given two admins, when one is demoted or deactivated, then the other remains', () => {
    expect(leavesNoAdmin([ada, abe], { ...ada, roles: ['FINANCE'] })).toBe(false);
    expect(leavesNoAdmin([ada, abe], { ...abe, deactivatedAt: now })).toBe(false);
  });

  it('given the only admin keeping ADMIN among new roles, then it is fine', () => {
    expect(leavesNoAdmin([ada], { ...ada, roles: ['ADMIN', 'AUDITOR'] })).toBe(false);
  });

  it('given a non-admin member, when changed, then the admins are untouched', () => {
    expect(leavesNoAdmin([ada], { ...dan, deactivatedAt: now })).toBe(false);
  });
});

describe('changeUserRoles input', () => {
  it('given PLATFORM_OPERATOR, then it is refused naming the role', () => {
    const result = changeUserRolesSchema.safeParse({ roles: ['DRIVER', 'PLATFORM_OPERATOR'] });
    expect(result.error!.issues[0]!.path).toEqual(['roles', 1]);
  });

  it('given an empty list, then it is refused: a user without roles could do nothing', () => {
    expect(changeUserRolesSchema.safeParse({ roles: [] }).error!.issues[0]!.path).toEqual(['roles']);
  });
});
