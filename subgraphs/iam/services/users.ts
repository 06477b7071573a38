import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import { leavesNoAdmin, type MemberState } from '../domain/user-admin.ts';
import { UserDeactivated, UserReactivated, UserRolesChanged } from '../events/contracts.ts';
import type { PrismaClient, User } from '../generated/prisma/client.ts';
import { lockOrganization, requireAuthority, type Tx } from './actors.ts';
import { usersWithRole } from './role-holders.ts';

/** What an organization's ADMIN does to its users. Another tenant's user id is NOT_FOUND, like an unknown one. */
export interface UserAdmin {
  changeRoles(admin: Principal, userId: string, roles: Role[], traceparent?: string): Promise<User>;
  /** Revokes every refresh token; logins are refused until reactivated. Idempotent. */
  deactivate(admin: Principal, userId: string, traceparent?: string): Promise<User>;
  reactivate(admin: Principal, userId: string, traceparent?: string): Promise<User>;
}

const NO_ADMIN_LEFT = 'The organization would be left without an active ADMIN.';

export function createUserAdmin(db: PrismaClient, options: { now: () => Date; commit: UnitOfWork<Tx> }): UserAdmin {
  /** Runs one command on one member under the organization's lock; `announce` says whether it wrote an event. */
  const command = async (admin: Principal, userId: string, run: (tx: Tx, target: User, admins: MemberState[], now: Date) => Promise<{ user: User; announced: boolean }>) => {
    const now = options.now();
    const result = await options.commit(async (tx) => {
      await lockOrganization(tx, admin.orgId);
      await requireAuthority(tx, admin, ['ADMIN']);
      const target = await tx.user.findFirst({ where: { id: userId, orgId: admin.orgId } });
      if (!target) throw notFound('User', ['userId']);
      const adminIds = await usersWithRole(tx, admin.orgId, 'ADMIN', { activeOnly: true });
      const admins: MemberState[] = adminIds.map((id) => ({ id, roles: ['ADMIN'], deactivatedAt: null }));
      return run(tx, target, admins, now);
    });
    return result.user;
  };
  const meta = (admin: Principal, subject: string, now: Date, traceparent?: string) => ({ subject, orgId: admin.orgId, time: now, ...(traceparent ? { traceparent } : {}) });

  return {
    changeRoles: (admin, userId, roles, traceparent) =>
      command(admin, userId, async (tx, target, admins, now) => {
        const same = roles.length === target.roles.length && roles.every((r) => target.roles.includes(r));
        if (same) return { user: target, announced: false };
        if (leavesNoAdmin(admins, { ...target, roles })) throw conflict(NO_ADMIN_LEFT, ['roles']);
        const user = await tx.user.update({ where: { id: target.id }, data: { roles } });
        const event = UserRolesChanged.create({ userId, name: target.name, roles, previousRoles: target.roles, changedBy: admin.userId }, meta(admin, userId, now, traceparent));
        await writeOutbox(prismaSql(tx), UserRolesChanged.topic, [event]);
        return { user, announced: true };
      }),

    deactivate: (admin, userId, traceparent) =>
      command(admin, userId, async (tx, target, admins, now) => {
        if (target.deactivatedAt) return { user: target, announced: false };
        if (leavesNoAdmin(admins, { ...target, deactivatedAt: now })) throw conflict(NO_ADMIN_LEFT, ['userId']);
        const user = await tx.user.update({ where: { id: target.id }, data: { deactivatedAt: now } });
        // Every session ends now; the access tokens already out expire on their own (see actors.ts).
        await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
        const event = UserDeactivated.create({ userId, deactivatedBy: admin.userId }, meta(admin, userId, now, traceparent));
        await writeOutbox(prismaSql(tx), UserDeactivated.topic, [event]);
        return { user, announced: true };
      }),

    reactivate: (admin, userId, traceparent) =>
      command(admin, userId, async (tx, target, _admins, now) => {
        if (!target.deactivatedAt) return { user: target, announced: false };
        const user = await tx.user.update({ where: { id: target.id }, data: { deactivatedAt: null } });
        const event = UserReactivated.create({ userId, reactivatedBy: admin.userId }, meta(admin, userId, now, traceparent));
        await writeOutbox(prismaSql(tx), UserReactivated.topic, [event]);
        return { user, announced: true };
      }),
  };
}
