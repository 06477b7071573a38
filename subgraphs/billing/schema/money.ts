import { builder } from '../builder.ts';
import { formatMoney } from '../domain/money-format.ts';
import { organizationLocale } from '../services/organization-locales.ts';

/** An amount with its currency, and whose organization it is (whose locale formats it). */
export interface MoneyView {
  amount: string;
  currency: string;
  orgId: string;
}

export const MoneyType = builder.objectRef<MoneyView>('Money').implement({
  description: 'An exact amount with its currency, and the same formatted for people.',
  fields: (t) => ({
    amount: t.exposeString('amount', { description: 'Exact decimal with the currency’s minor digits, e.g. "123456.50".' }),
    currency: t.exposeString('currency', { description: 'ISO 4217.' }),
    formatted: t.string({
      description:
        'In the organization’s locale (Organization.locale) by the platform’s Intl/CLDR, e.g. "১,২৩,৪৫৬.৫০৳" in bn-BD or "123.456,50 €" in de-DE. For display only: compute with `amount`.',
      resolve: async (m, _args, ctx) => formatMoney(m.amount, m.currency, await organizationLocale(ctx, m.orgId)),
    }),
  }),
});
