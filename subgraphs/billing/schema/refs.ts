import { builder } from '../builder.ts';

/** orders' Order, known here only by its key; order.ts adds its quote and invoice. */
export const OrderRef = builder.externalRef('Order', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

/** iam's Organization, known here only by its key; organization.ts adds its invoices. */
export const OrganizationRef = builder.externalRef('Organization', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

/** iam's User (an invoice's customer), known here only by its key. */
export const UserRef = builder.externalRef('User', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});
