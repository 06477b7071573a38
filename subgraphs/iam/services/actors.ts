import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';
import { AppError } from '../../platform/errors.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type Tx = Prisma.TransactionClient;

/** The one answer to a deactivated user, at login, at refresh, and on iam's admin commands. */
export const userDeactivated = () => new AppError('FORBIDDEN', 'This user is deactivated.', { reason: 'USER_DEACTIVATED' });

/** A caller whose current roles no longer include what the command needs, whatever its token says. */
export const roleRevoked = () => new AppError('FORBIDDEN', 'Your roles no longer allow this; refresh your session.', { reason: 'ROLE_REVOKED' });

/**
 * A token's roles are what iam knew when it was minted. Every privileged command re-reads the
 * caller inside its transaction: still active, and still holding one of `roles` now, so a
 * demoted or deactivated user cannot act on a still-valid token (the deny-list closes the same
 * window elsewhere within seconds; here it is closed at once).
 */
export async function requireAuthority(db: Tx | PrismaClient, principal: Principal, roles: readonly Role[]): Promise<void> {
  const caller = await db.user.findFirst({ where: { id: principal.userId, orgId: principal.orgId }, select: { deactivatedAt: true, roles: true } });
  if (!caller || caller.deactivatedAt) throw userDeactivated();
  if (!caller.roles.some((r) => roles.includes(r as Role))) throw roleRevoked();
}

/**
 * Serialises the admin commands of one organization (role changes, deactivations), so two admins
 * demoting each other at once cannot both pass the "someone stays ADMIN" check.
 */
export async function lockOrganization(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Organization" WHERE "id" = ${orgId}::uuid FOR UPDATE`;
}
