import { builder } from '../builder.ts';
import type { CustomerRow } from '../services/kpi-source.ts';
import { KpiAmountType } from './kpi-amount.ts';
import { UserRef } from './refs.ts';

export const KpiCustomerType = builder.objectRef<CustomerRow>('KpiCustomer').implement({
  description: 'A customer ranked by the orders they placed in the range.',
  fields: (t) => ({
    customerId: t.exposeID('customerId'),
    customer: t.field({
      type: UserRef,
      nullable: true,
      description: 'Resolved by iam (name, email).',
      resolve: (c) => ({ id: c.customerId }),
    }),
    orders: t.exposeInt('orders', { description: 'Orders created in the range.' }),
    delivered: t.exposeInt('delivered', { description: 'Of those, delivered (at any time).' }),
    revenue: t.field({
      type: [KpiAmountType],
      description: 'Invoiced to them in the range (issued, not voided, with tax), per currency.',
      resolve: (c) => c.revenue,
    }),
  }),
});
