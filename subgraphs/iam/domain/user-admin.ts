/** Rules an organization's admins work under when they change who may do what. */
import { z } from 'zod';
import type { Role } from '../../kernel/auth/roles.ts';
import { tenantRolesSchema } from './invitation.ts';

export interface MemberState {
  id: string;
  roles: readonly Role[];
  deactivatedAt: Date | null;
}

const isActiveAdmin = (u: MemberState) => u.deactivatedAt === null && u.roles.includes('ADMIN');

/**
 * True when applying `after` to one member leaves the organization without any active ADMIN:
 * nobody could then invite, reactivate or fix roles, and only an operator's database access
 * would recover the tenant. `admins` are the organization's currently active admins.
 */
export function leavesNoAdmin(admins: readonly MemberState[], after: MemberState): boolean {
  const others = admins.filter((a) => a.id !== after.id && isActiveAdmin(a));
  return others.length === 0 && !isActiveAdmin(after);
}

export const changeUserRolesSchema = z.object({ roles: tenantRolesSchema });

/** users(filter:)'s filter: all optional, combined with AND. */
export const userFilterSchema = z.object({
  role: z.string().nullish(),
  active: z.boolean().nullish(),
  /** Case-insensitive substring of the email or the name. */
  search: z.string().trim().max(100, 'must be at most 100 characters').nullish(),
});
export type UserFilter = z.output<typeof userFilterSchema>;
