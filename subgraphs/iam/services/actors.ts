import type { Principal } from '../../kernel/auth/principal.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type Tx = Prisma.TransactionClient;

/** The one answer to a deactivated user, at login, at refresh, and on iam's admin commands. */
export const userDeactivated = () => new AppError('FORBIDDEN', 'This user is deactivated.', { reason: 'USER_DEACTIVATED' });

/**
 * Access tokens are verified by signature alone and live out their lifetime (JWT_ACCESS_TTL_SECONDS)
 * after a deactivation. iam's own admin commands close that window for themselves: they re-read
 * the caller, so a deactivated admin cannot use a still-valid token to manage users or settings.
 */
export async function requireActiveCaller(db: Tx | PrismaClient, principal: Principal): Promise<void> {
  const caller = await db.user.findFirst({ where: { id: principal.userId, orgId: principal.orgId }, select: { deactivatedAt: true } });
  if (!caller || caller.deactivatedAt) throw userDeactivated();
}

/**
 * Serialises the admin commands of one organization (role changes, deactivations), so two admins
 * demoting each other at once cannot both pass the "someone stays ADMIN" check.
 */
export async function lockOrganization(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Organization" WHERE "id" = ${orgId}::uuid FOR UPDATE`;
}
