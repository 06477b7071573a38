import { unauthenticated } from '../../platform/errors.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { INVOICE_READ_ROLES, INVOICE_WRITE_ROLES } from '../domain/access.ts';
import { settingsChangeSchema } from '../domain/billing-settings.ts';
import { fiscalYearOf, formatNumber } from '../domain/numbering.ts';
import { vatRateList, type VatRates } from '../domain/vat.ts';
import { saveSettings, settingsOf, settingsValues } from '../services/settings.ts';
import { VatCategoryType, VatRateInput, VatRateType } from './vat.ts';

const InvoicingModeType = builder.enumType('InvoicingMode', {
  values: {
    PER_ORDER: { description: 'One invoice per delivered order.' },
    CONSOLIDATED: { description: 'One DRAFT per customer, currency and period collects the deliveries until issued.' },
  } as const,
});
const ConsolidationPeriodType = builder.enumType('ConsolidationPeriod', { values: ['WEEK', 'MONTH'] as const });

export const BillingSettingsType = builder.prismaObject('BillingSettings', {
  description: 'How the organization invoices: mode, VAT rates, fiscal year and numbering.',
  fields: (t) => ({
    invoicingMode: t.field({ type: InvoicingModeType, resolve: (s) => s.invoicingMode }),
    consolidationPeriod: t.field({ type: ConsolidationPeriodType, description: 'UTC months, or ISO weeks (Monday first).', resolve: (s) => s.consolidationPeriod }),
    vatSet: t.exposeString('vatSet', { description: 'The shipped set the rates came from, or CUSTOM.' }),
    vatRates: t.field({ type: [VatRateType], resolve: (s) => vatRateList(s.vatRates as VatRates) }),
    defaultVatCategory: t.field({ type: VatCategoryType, description: 'The category of delivery lines.', resolve: (s) => s.defaultVatCategory }),
    fiscalYearStartMonth: t.exposeInt('fiscalYearStartMonth', { description: '1 = January; 7 = a July-June fiscal year.' }),
    numberPattern: t.exposeString('numberPattern', { description: 'Tokens {series}, {fy}, {fyEnd}, {seq} or {seq:N}.' }),
    invoiceSeries: t.exposeString('invoiceSeries'),
    creditNoteSeries: t.exposeString('creditNoteSeries'),
    quoteValidityDays: t.exposeInt('quoteValidityDays', { description: 'Days the price quoted at checkout holds for a delivery (Quote.lockedUntil).' }),
    repriceOnPlanning: t.exposeBoolean('repriceOnPlanning', {
      description: 'true: planning re-prices quotes on the planned distance; false (default): the checkout price holds and the planned cost is recorded beside it.',
    }),
    exampleNumber: t.string({
      description: 'What the first invoice number of the current fiscal year looks like.',
      resolve: (s) => formatNumber(s.numberPattern, { series: s.invoiceSeries, fiscalYear: fiscalYearOf(new Date(), s.fiscalYearStartMonth), sequence: 1 }),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const BillingSettingsInput = builder.inputType('BillingSettingsInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    invoicingMode: t.field({ type: InvoicingModeType }),
    consolidationPeriod: t.field({ type: ConsolidationPeriodType }),
    vatSet: t.string({ description: 'Adopt a shipped set (see vatRateSets), replacing the rates.' }),
    vatRates: t.field({ type: [VatRateInput], description: 'Rates of your own (the set becomes CUSTOM).' }),
    defaultVatCategory: t.field({ type: VatCategoryType }),
    fiscalYearStartMonth: t.int(),
    numberPattern: t.string(),
    invoiceSeries: t.string(),
    creditNoteSeries: t.string(),
    quoteValidityDays: t.int({ description: '0-365; applies to quotes made from now on.' }),
    repriceOnPlanning: t.boolean(),
  }),
});

builder.queryFields((t) => ({
  billingSettings: t.prismaField({
    type: 'BillingSettings',
    description: "The caller's organization's billing settings (the defaults until changed).",
    authScopes: { anyRole: INVOICE_READ_ROLES },
    resolve: async (query, _root, _args, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      const { orgId } = ctx.principal;
      await ctx.db.$transaction((tx) => settingsOf(tx, orgId, ctx.now()));
      return ctx.db.billingSettings.findUniqueOrThrow({ ...query, where: { orgId } });
    },
  }),
}));

builder.mutationFields((t) => ({
  updateBillingSettings: t.prismaField({
    type: 'BillingSettings',
    description: 'Changes how invoices are made from now on; issued invoices keep what they were issued with.',
    authScopes: { anyRole: INVOICE_WRITE_ROLES },
    args: { input: t.arg({ type: BillingSettingsInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { orgId } = ctx.principal!;
      const now = ctx.now();
      await ctx.db.$transaction(async (tx) => {
        const current = settingsValues(await settingsOf(tx, orgId, now));
        await saveSettings(tx, orgId, parseInput(settingsChangeSchema(current), input), now);
      });
      return ctx.db.billingSettings.findUniqueOrThrow({ ...query, where: { orgId } });
    },
  }),
}));
