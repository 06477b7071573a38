import { builder } from '../builder.ts';

/** iam's User, known here only by its key. */
export const UserRef = builder.externalRef('User', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

/** iam's Organization, known here only by its key. */
export const OrganizationRef = builder.externalRef('Organization', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});
