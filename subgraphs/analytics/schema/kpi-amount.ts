import { builder } from '../builder.ts';

export const KpiAmountType = builder.objectRef<{ currency: string; amount: string }>('KpiAmount').implement({
  description: 'An exact amount of money in one currency.',
  fields: (t) => ({
    currency: t.exposeString('currency', { description: 'ISO 4217.' }),
    amount: t.exposeString('amount', { description: 'Exact decimal, e.g. "1234.50".' }),
  }),
});
