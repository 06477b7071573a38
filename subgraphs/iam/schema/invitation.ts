import { unauthenticated } from '../../platform/errors.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { acceptInvitationSchema, inviteUserSchema, judgeInvitation } from '../domain/invitation.ts';
import type { CreatedInvitation } from '../services/invitations.ts';
import { AuthPayloadType } from './auth.ts';
import { checkPageArgs } from './paging.ts';
import { RoleType } from './user.ts';

const INVITER = { anyRole: ['ADMIN'] } as const;

const InvitationStatusType = builder.enumType('InvitationStatus', {
  values: {
    PENDING: { description: 'Can be accepted until it expires.' },
    ACCEPTED: { description: 'Accepted: the user exists.' },
    EXPIRED: { description: 'Not accepted in time; invite again.' },
    REVOKED: { description: 'Replaced by a newer invitation for the same email.' },
  } as const,
});

const STATUS = { valid: 'PENDING', accepted: 'ACCEPTED', expired: 'EXPIRED', revoked: 'REVOKED' } as const;

export const InvitationType = builder.prismaObject('Invitation', {
  description: 'An invitation to join the organization. Its token is shown once, when created; only its hash is kept.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    roles: t.expose('roles', { type: [RoleType] }),
    status: t.field({
      type: InvitationStatusType,
      resolve: (i, _args, ctx) => STATUS[judgeInvitation(i, ctx.now())],
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    user: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'Who accepted it.',
      resolve: (query, i, _args, ctx) => (i.acceptedUserId ? ctx.db.user.findFirst({ ...query, where: { id: i.acceptedUserId, orgId: i.orgId } }) : null),
    }),
  }),
});

export const InviteUserPayload = builder.objectRef<CreatedInvitation>('InviteUserPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', {
      description: 'For acceptInvitation. Shown only now (there is no email sender): hand it to the person invited; it cannot be read again.',
    }),
    invitation: t.field({ type: InvitationType, resolve: (p) => p.invitation }),
  }),
});

const InviteUserInput = builder.inputType('InviteUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    name: t.string({ required: true }),
    roles: t.field({ type: [RoleType], required: true, description: 'Any role but PLATFORM_OPERATOR.' }),
  }),
});

/** The rows `invitations` lists and counts. */
function invitationsWhere(
  args: { includeClosed?: boolean | null; first?: number | null; last?: number | null },
  ctx: { principal: { orgId: string } | null; authError?: string | undefined; now(): Date },
) {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  const pending = { acceptedAt: null, revokedAt: null, expiresAt: { gt: ctx.now() } };
  return { orgId: ctx.principal.orgId, ...(args.includeClosed ? {} : pending) };
}

builder.queryField('invitations', (t) =>
  t.prismaConnection(
    {
      type: 'Invitation',
      cursor: 'id',
      description: "The organization's invitations, newest first; only those still pending unless asked.",
      authScopes: INVITER,
      args: { includeClosed: t.arg.boolean({ defaultValue: false, description: 'Also accepted, expired and replaced ones.' }) },
      resolve: (query, _root, args, ctx) => ctx.db.invitation.findMany({ ...query, where: invitationsWhere(args, ctx), orderBy: { id: 'desc' } }),
      // A tenant's invitations: as few as its staff, counted on the orgId index.
      totalCount: (_connection, args, ctx) => ctx.db.invitation.count({ where: invitationsWhere(args, ctx) }),
    },
    { name: 'InvitationConnection' },
    { name: 'InvitationEdge' },
  ),
);

builder.mutationFields((t) => ({
  inviteUser: t.field({
    type: InviteUserPayload,
    description: 'Invites someone to the organization with these roles. A pending invitation for the same email is replaced.',
    authScopes: INVITER,
    args: { input: t.arg({ type: InviteUserInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.invitations.invite(ctx.principal!, parseInput(inviteUserSchema, input)),
  }),
  acceptInvitation: t.field({
    type: AuthPayloadType,
    description:
      'Joins the organization with the invitation’s token and a password of your choice, and signs you in. Each token works once, before it expires (BAD_USER_INPUT on `token` with reason INVITATION_INVALID, INVITATION_EXPIRED or INVITATION_USED).',
    args: {
      token: t.arg.string({ required: true }),
      password: t.arg.string({ required: true, description: 'At least 8 characters.' }),
      name: t.arg.string({ description: 'How you want to be called; the invitation’s name otherwise.' }),
    },
    resolve: (_root, args, ctx) => ctx.services.invitations.accept(parseInput(acceptInvitationSchema, args, []), ctx.traceparent),
  }),
}));
