import { builder } from '../builder.ts';

/** iam's Organization, known here only by its key; organization.ts adds its KPIs. */
export const OrganizationRef = builder.externalRef('Organization', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

/** iam's User, known here only by its key (a top customer). */
export const UserRef = builder.externalRef('User', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

/** planning's Vehicle, known here only by its key (its name and capacity come from planning). */
export const VehicleRef = builder.externalRef('Vehicle', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});
