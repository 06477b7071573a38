import { builder } from '../builder.ts';
import { VAT_CATEGORIES, VAT_RATE_SETS, vatRateList, type VatCategory, type VatRateSet } from '../domain/vat.ts';

export const VatCategoryType = builder.enumType('VatCategory', {
  description: 'The VAT category a line is taxed under; the organization’s VAT rate set gives its rate.',
  values: VAT_CATEGORIES,
});

export const VatRateType = builder.objectRef<{ category: VatCategory; ratePercent: string }>('VatRate').implement({
  fields: (t) => ({
    category: t.field({ type: VatCategoryType, resolve: (r) => r.category }),
    ratePercent: t.exposeString('ratePercent', { description: 'Exact decimal percent, e.g. "7.5".' }),
  }),
});

export const VatRateInput = builder.inputType('VatRateInput', {
  fields: (t) => ({
    category: t.field({ type: VatCategoryType, required: true }),
    ratePercent: t.string({ required: true, description: 'Percent in [0, 100), at most 2 decimals; ZERO and EXEMPT must be 0.' }),
  }),
});

const VatRateSetType = builder.objectRef<VatRateSet>('VatRateSet').implement({
  description: 'A shipped set of VAT rates an organization can adopt (updateBillingSettings vatSet).',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    country: t.exposeString('country', { description: 'ISO 3166 alpha-2.' }),
    rates: t.field({ type: [VatRateType], resolve: (s) => vatRateList(s.rates) }),
  }),
});

builder.queryFields((t) => ({
  vatRateSets: t.field({
    type: [VatRateSetType],
    description: 'The VAT rate sets shipped as examples: EU (Germany 19/7/0) and Bangladesh (15/7.5/5/0).',
    authScopes: { authenticated: true },
    resolve: () => [...VAT_RATE_SETS],
  }),
}));
