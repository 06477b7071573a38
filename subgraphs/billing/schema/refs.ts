import { builder } from '../builder.ts';

/** orders' Order, known here only by its key; order.ts adds its quote. */
export const OrderRef = builder.externalRef('Order', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});
