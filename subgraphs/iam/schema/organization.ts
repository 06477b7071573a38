import { isUuid } from '../../kernel/ids.ts';
import { builder } from '../builder.ts';

export const OrganizationType = builder.prismaObject('Organization', {
  description: 'A tenant: a customer company, a partner, or the carrier itself.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.asEntity(OrganizationType, {
  key: builder.selection<{ id: string }>('id'),
  // Only the caller's own organization resolves; any other id answers null, as if unknown.
  resolveReference: ({ id }, ctx) =>
    ctx.principal && ctx.principal.orgId === id && isUuid(id) ? ctx.db.organization.findUnique({ where: { id } }) : null,
});
