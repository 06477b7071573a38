import { builder } from '../builder.ts';

/** orders' Order, known here only by its key; order.ts adds its audit trail. */
export const OrderRef = builder.externalRef('Order', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

/** iam's User, known here only by its key; user.ts adds its audit trail. */
export const UserRef = builder.externalRef('User', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});
