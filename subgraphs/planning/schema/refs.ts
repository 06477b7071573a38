import { builder } from '../builder.ts';

/** iam's User, known here only by its key (a route's driver). */
export const UserRef = builder.externalRef('User', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

/** orders' Order, known here only by its key; order.ts adds what planning knows of it. */
export const OrderRef = builder.externalRef('Order', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});
