import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import { uuidv7 } from '../../platform/ids.ts';
import {
  hashInvitationToken,
  invitationExpiry,
  isWellFormedInvitationToken,
  judgeInvitation,
  newInvitationToken,
  type AcceptInvitation,
  type InviteUser,
} from '../domain/invitation.ts';
import { hashPassword } from '../domain/password.ts';
import { UserRegistered } from '../events/contracts.ts';
import { Prisma, type Invitation, type PrismaClient } from '../generated/prisma/client.ts';
import { requireAuthority, type Tx } from './actors.ts';
import type { AuthPayload, Sessions } from './sessions.ts';

export interface CreatedInvitation {
  /** Shown once, to whoever invited (there is no email sender): only its hash is stored. */
  token: string;
  invitation: Invitation;
}

/** Whom an invitation is for. Any role here: the edge (inviteUserSchema) keeps admins to tenant roles. */
export type NewMember = Omit<InviteUser, 'roles'> & { roles: Role[] };

export interface Invitations {
  invite(admin: Principal, input: InviteUser): Promise<CreatedInvitation>;
  /** Creates the user, announces `user.registered` and signs them in. */
  accept(input: AcceptInvitation, traceparent?: string): Promise<AuthPayload>;
  /** For createOrganization: the first ADMIN's invitation, in the transaction that creates the tenant. */
  inviteIn(tx: Tx, orgId: string, invitedById: string | null, input: NewMember, now: Date, emailField?: string[]): Promise<CreatedInvitation>;
}

/** A stable reason per case; the token's holder may learn which, nobody else has the token. */
const refused = (reason: 'INVITATION_INVALID' | 'INVITATION_EXPIRED' | 'INVITATION_USED') =>
  new AppError(
    'BAD_USER_INPUT',
    {
      INVITATION_INVALID: 'The invitation is unknown or was replaced by a newer one.',
      INVITATION_EXPIRED: 'The invitation has expired; ask for a new one.',
      INVITATION_USED: 'The invitation was already accepted.',
    }[reason],
    { field: ['token'], reason },
  );

const emailTaken = (field: string[]) => conflict('A user with this email already exists.', field);
export const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/**
 * Writes an invitation inside the caller's transaction (inviteUser, createOrganization, the
 * operator command line). A pending invitation for the same person is replaced: only the newest
 * token works.
 */
export async function createInvitation(
  tx: Tx,
  args: { orgId: string; invitedById: string | null; person: NewMember; now: Date; ttlSeconds: number; emailField?: string[] },
): Promise<CreatedInvitation> {
  const { orgId, person, now } = args;
  // Emails are unique across the platform (they are the login), so this also answers for other tenants' users.
  if (await tx.user.findUnique({ where: { email: person.email }, select: { id: true } })) throw emailTaken(args.emailField ?? ['input', 'email']);
  await tx.invitation.updateMany({ where: { orgId, email: person.email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
  const token = newInvitationToken();
  const invitation = await tx.invitation.create({
    data: {
      id: uuidv7(now.getTime()),
      orgId,
      email: person.email,
      name: person.name,
      roles: person.roles,
      tokenHash: hashInvitationToken(token),
      expiresAt: invitationExpiry(now, args.ttlSeconds),
      invitedById: args.invitedById,
      createdAt: now,
    },
  });
  return { token, invitation };
}

export function createInvitations(db: PrismaClient, sessions: Sessions, options: { ttlSeconds: number; now: () => Date; commit: UnitOfWork<Tx> }): Invitations {
  const inviteIn: Invitations['inviteIn'] = (tx, orgId, invitedById, person, now, emailField) =>
    createInvitation(tx, { orgId, invitedById, person, now, ttlSeconds: options.ttlSeconds, emailField });

  return {
    inviteIn,

    invite: (admin, input) =>
      db.$transaction(async (tx) => {
        await requireAuthority(tx, admin, ['ADMIN']);
        return inviteIn(tx, admin.orgId, admin.userId, input, options.now());
      }),

    async accept(input, traceparent) {
      if (!isWellFormedInvitationToken(input.token)) throw refused('INVITATION_INVALID');
      const found = await db.invitation.findUnique({ where: { tokenHash: hashInvitationToken(input.token) } });
      if (!found) throw refused('INVITATION_INVALID');
      const verdict = judgeInvitation(found, options.now());
      if (verdict !== 'valid') throw refused(verdict === 'accepted' ? 'INVITATION_USED' : verdict === 'expired' ? 'INVITATION_EXPIRED' : 'INVITATION_INVALID');
      // Hashing costs tens of milliseconds: done before the transaction, not while holding it.
      const passwordHash = await hashPassword(input.password);
      const now = options.now();
      const userId = uuidv7(now.getTime());
      const name = input.name ?? found.name;
      try {
        const user = await options.commit(async (tx) => {
          // Single use: of two racing acceptances only one claims it.
          const claimed = await tx.invitation.updateMany({
            where: { id: found.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
            data: { acceptedAt: now, acceptedUserId: userId },
          });
          if (claimed.count !== 1) throw refused('INVITATION_USED');
          if (await tx.user.findUnique({ where: { email: found.email }, select: { id: true } })) throw emailTaken(['token']);
          const created = await tx.user.create({
            data: { id: userId, orgId: found.orgId, email: found.email, name, passwordHash, roles: found.roles, createdAt: now },
          });
          const event = UserRegistered.create(
            { userId, email: found.email, name, roles: found.roles },
            { subject: userId, orgId: found.orgId, time: now, ...(traceparent ? { traceparent } : {}) },
          );
          await writeOutbox(prismaSql(tx), UserRegistered.topic, [event]);
          return created;
        });
        return sessions.start(user);
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken(['token']);
        throw error;
      }
    },
  };
}
