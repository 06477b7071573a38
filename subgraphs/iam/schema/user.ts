import { referenceBatched } from '../../kernel/batching.ts';
import { notFound, unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { changeUserRolesSchema, userFilterSchema } from '../domain/user-admin.ts';
import { DRIVER_LIST_ROLES, mayReadUser, type UserAspect } from '../domain/user-visibility.ts';
import type { Principal } from '../../kernel/auth/principal.ts';
import { Role } from '../generated/prisma/enums.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { SubgraphContext } from '../../kernel/builder.ts';
import type { IamServices } from '../services/index.ts';
import { usersWithRole } from '../services/role-holders.ts';
import { checkPageArgs } from './paging.ts';

export const RoleType = builder.enumType(Role, {
  name: 'Role',
  description: 'What a user may do. A user can hold several roles.',
});

/** Managing an organization's users is its admins' business alone. */
const USER_ADMIN = { anyRole: ['ADMIN'] } as const;

/**
 * Field rules by role and ownership (domain/user-visibility.ts), checked on every path a User is
 * reached by (me, users, drivers, and `_entities` from orders, planning, audit...): a hidden field
 * answers FORBIDDEN. The rows are loaded with every scalar, so the rule can see the user's roles.
 */
const readable = (aspect: UserAspect) => ({
  authScopes: (u: { id: string; roles: readonly Role[] }, _args: unknown, ctx: { principal: Principal | null }) =>
    SIGNED_IN in u || mayReadUser(ctx.principal, u, aspect),
});

const SIGNED_IN = Symbol('signed in');
/**
 * The user a login, refresh or accepted invitation just signed in: the answer goes to that user
 * alone, who has no token on this request yet, so all of it is theirs to read.
 */
export const asSignedIn = <U extends object>(user: U): U => Object.assign(Object.create(Object.getPrototypeOf(user)), user, { [SIGNED_IN]: true });

export const UserType = builder.prismaObject('User', {
  description: 'A member of an organization. Others see only what their role needs (docs/security.md); the user sees all of it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email', { ...readable('contact'), description: 'Admins, auditors and the user; dispatchers of drivers and customers; finance of customers. FORBIDDEN otherwise.' }),
    name: t.exposeString('name', readable('name')),
    roles: t.expose('roles', { type: [RoleType], ...readable('account') }),
    organization: t.relation('organization'),
    createdAt: t.expose('createdAt', { type: 'DateTime', ...readable('account') }),
    active: t.boolean({
      description: 'False while deactivated: logins and refreshes are refused.',
      ...readable('name'),
      resolve: (u) => u.deactivatedAt === null,
    }),
    deactivatedAt: t.expose('deactivatedAt', { type: 'DateTime', nullable: true, ...readable('account') }),
  }),
});

builder.asEntity(UserType, {
  key: builder.selection<{ id: string }>('id'),
  // Scoped to the caller's tenant: another tenant's user resolves to null, never an error.
  // Batched: the users of a whole list cost one query, with the relations the request selects
  // (the organization, nearly always) loaded in it.
  resolveReference: ({ id }, ctx, info) =>
    ctx.principal && isUuid(id)
      ? referenceBatched(ctx, info, 'User', { orgId: ctx.principal.orgId }, id, (args) => ctx.db.user.findMany(args))
      : null,
});

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in user, or null without a token.',
    resolve: (query, _root, _args, ctx) => {
      // A token that was presented but rejected is an error, not an anonymous call.
      if (ctx.authError) throw unauthenticated(ctx.authError);
      return ctx.principal ? ctx.db.user.findUnique({ ...query, where: { id: ctx.principal.userId } }) : null;
    },
  }),
);

const UserFilterInput = builder.inputType('UserFilter', {
  description: 'All given conditions must hold.',
  fields: (t) => ({
    role: t.field({ type: RoleType, description: 'Holds this role (among others).' }),
    active: t.boolean({ description: 'true: only active users; false: only deactivated ones.' }),
    search: t.string({ description: 'Case-insensitive part of the email or the name.' }),
  }),
});

type Ctx = SubgraphContext<PrismaClient, IamServices>;
type UserListArgs = { filter?: { role?: string | null; active?: boolean | null; search?: string | null } | null; first?: number | null; last?: number | null };

/** The rows `users` lists and counts: the caller's tenant, filtered. */
async function usersWhere(args: UserListArgs, ctx: Ctx): Promise<Prisma.UserWhereInput> {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  const filter = parseInput(userFilterSchema, args.filter ?? {}, ['filter']);
  const orgId = ctx.principal.orgId;
  return {
    orgId,
    ...(filter.role ? { id: { in: await usersWithRole(ctx.db, orgId, filter.role as Role) } } : {}),
    ...(filter.active != null ? { deactivatedAt: filter.active ? null : { not: null } } : {}),
    ...(filter.search ? { OR: [{ email: { contains: filter.search, mode: 'insensitive' } }, { name: { contains: filter.search, mode: 'insensitive' } }] } : {}),
  };
}

/** The rows `drivers` lists and counts: the tenant's drivers, active ones unless asked otherwise. */
async function driversWhere(args: UserListArgs, ctx: Ctx): Promise<Prisma.UserWhereInput> {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  const filter = parseInput(userFilterSchema, { active: args.filter?.active ?? true, search: args.filter?.search }, ['filter']);
  const orgId = ctx.principal.orgId;
  return {
    orgId,
    id: { in: await usersWithRole(ctx.db, orgId, 'DRIVER') },
    deactivatedAt: filter.active ? null : { not: null },
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
  };
}

builder.queryField('users', (t) =>
  t.prismaConnection(
    {
      type: 'User',
      cursor: 'id',
      description: "The organization's users, newest first.",
      authScopes: USER_ADMIN,
      args: { filter: t.arg({ type: UserFilterInput }) },
      resolve: async (query, _root, args, ctx) => ctx.db.user.findMany({ ...query, where: await usersWhere(args, ctx), orderBy: { id: 'desc' } }),
      // A tenant's staff: bounded, and counted on the orgId index.
      totalCount: async (_connection, args, ctx) => ctx.db.user.count({ where: await usersWhere(args, ctx) }),
    },
    { name: 'UserConnection' },
    { name: 'UserEdge' },
  ),
);

const DriverFilterInput = builder.inputType('DriverFilter', {
  fields: (t) => ({
    active: t.boolean({ description: 'Default true: only drivers who can work; false: only deactivated ones.' }),
    search: t.string({ description: 'Case-insensitive part of the name.' }),
  }),
});

builder.queryField('drivers', (t) =>
  t.prismaConnection(
    {
      type: 'User',
      cursor: 'id',
      description:
        "The organization's drivers, newest first, for dispatchers to assign routes: id, name and active (and email) are readable; other fields follow User's rules.",
      authScopes: { anyRole: DRIVER_LIST_ROLES },
      args: { filter: t.arg({ type: DriverFilterInput }) },
      resolve: async (query, _root, args, ctx) => ctx.db.user.findMany({ ...query, where: await driversWhere(args, ctx), orderBy: { id: 'desc' } }),
      totalCount: async (_connection, args, ctx) => ctx.db.user.count({ where: await driversWhere(args, ctx) }),
    },
    { name: 'DriverConnection' },
    { name: 'DriverEdge' },
  ),
);

/** An id that cannot be a user is answered like an unknown one. */
const userId = (id: string) => {
  if (!isUuid(id)) throw notFound('User', ['userId']);
  return id;
};

builder.mutationFields((t) => ({
  changeUserRoles: t.prismaField({
    type: 'User',
    description:
      'Replaces the user’s roles. Refused (CONFLICT) when it would leave no active ADMIN. Within seconds every subgraph refuses their older access tokens (UNAUTHENTICATED, reason TOKEN_REVOKED); a refresh carries the new roles.',
    authScopes: USER_ADMIN,
    args: { userId: t.arg.id({ required: true }), roles: t.arg({ type: [RoleType], required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { roles } = parseInput(changeUserRolesSchema, { roles: args.roles }, []);
      const user = await ctx.services.users.changeRoles(ctx.principal!, userId(args.userId), roles, ctx.traceparent);
      return ctx.db.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
  deactivateUser: t.prismaField({
    type: 'User',
    description:
      'Ends every session of the user (refresh tokens revoked) and refuses their logins (FORBIDDEN, reason USER_DEACTIVATED). Within seconds every subgraph refuses their access tokens already issued (UNAUTHENTICATED, reason TOKEN_REVOKED), and iam’s admin commands at once.',
    authScopes: USER_ADMIN,
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const user = await ctx.services.users.deactivate(ctx.principal!, userId(args.userId), ctx.traceparent);
      return ctx.db.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
  reactivateUser: t.prismaField({
    type: 'User',
    description: 'Lets a deactivated user log in again, with their old password.',
    authScopes: USER_ADMIN,
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const user = await ctx.services.users.reactivate(ctx.principal!, userId(args.userId), ctx.traceparent);
      return ctx.db.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
}));
