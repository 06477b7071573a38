import { referenceBatched } from '../../kernel/batching.ts';
import { unauthenticated } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/ids.ts';
import { builder } from '../builder.ts';
import { Role } from '../generated/prisma/enums.ts';

export const RoleType = builder.enumType(Role, {
  name: 'Role',
  description: 'What a user may do. A user can hold several roles.',
});

export const UserType = builder.prismaObject('User', {
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    roles: t.expose('roles', { type: [RoleType] }),
    organization: t.relation('organization'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
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
