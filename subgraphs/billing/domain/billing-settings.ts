/** An organization's invoicing settings: defaults, validation of a change, consolidation periods. */
import { z } from 'zod';
import { DEFAULT_NUMBER_PATTERN, NumberPatternSchema } from './numbering.ts';
import { CUSTOM_VAT_SET, DEFAULT_VAT_SET, VAT_CATEGORIES, VAT_RATE_SETS, vatRateSet, VatRateListSchema, type VatCategory, type VatRates } from './vat.ts';

export type InvoicingMode = 'PER_ORDER' | 'CONSOLIDATED';
export type ConsolidationPeriod = 'WEEK' | 'MONTH';

export interface BillingSettingsValues {
  invoicingMode: InvoicingMode;
  consolidationPeriod: ConsolidationPeriod;
  vatSet: string;
  vatRates: VatRates;
  defaultVatCategory: VatCategory;
  fiscalYearStartMonth: number;
  numberPattern: string;
  invoiceSeries: string;
  creditNoteSeries: string;
  /** Days a checkout quote's price holds (domain/price-lock.ts). */
  quoteValidityDays: number;
  /** Bill on the planned distance instead of honouring the checkout price. */
  repriceOnPlanning: boolean;
}

export const DEFAULT_SETTINGS: BillingSettingsValues = {
  invoicingMode: 'PER_ORDER',
  consolidationPeriod: 'MONTH',
  vatSet: DEFAULT_VAT_SET.code,
  vatRates: DEFAULT_VAT_SET.rates,
  defaultVatCategory: 'STANDARD',
  fiscalYearStartMonth: 1,
  numberPattern: DEFAULT_NUMBER_PATTERN,
  invoiceSeries: 'INV',
  creditNoteSeries: 'CN',
  quoteValidityDays: 30,
  repriceOnPlanning: false,
};

const series = z.string().regex(/^[A-Z][A-Z0-9]{0,9}$/, 'must be 1-10 upper-case letters or digits, starting with a letter');

/** updateBillingSettings' input: every field optional; the result is the complete new settings. */
export const settingsChangeSchema = (current: BillingSettingsValues) =>
  z
    .object({
      invoicingMode: z.enum(['PER_ORDER', 'CONSOLIDATED']).nullish(),
      consolidationPeriod: z.enum(['WEEK', 'MONTH']).nullish(),
      vatSet: z
        .string()
        .refine((code) => !!vatRateSet(code), `unknown VAT rate set; expected one of ${VAT_RATE_SETS.map((s) => s.code).join(', ')}`)
        .nullish(),
      vatRates: VatRateListSchema.nullish(),
      defaultVatCategory: z.enum(VAT_CATEGORIES).nullish(),
      fiscalYearStartMonth: z.number().int('must be a whole month').min(1, 'must be 1-12').max(12, 'must be 1-12').nullish(),
      numberPattern: NumberPatternSchema.nullish(),
      invoiceSeries: series.nullish(),
      creditNoteSeries: series.nullish(),
      quoteValidityDays: z.number().int('must be whole days').min(0, 'must be 0-365').max(365, 'must be 0-365').nullish(),
      repriceOnPlanning: z.boolean().nullish(),
    })
    .transform((input, ctx): BillingSettingsValues => {
      // Explicit rates win over a preset; a preset replaces the rates with its own.
      const preset = input.vatSet ? vatRateSet(input.vatSet) : undefined;
      const vatRates = input.vatRates ?? preset?.rates ?? current.vatRates;
      const next: BillingSettingsValues = {
        invoicingMode: input.invoicingMode ?? current.invoicingMode,
        consolidationPeriod: input.consolidationPeriod ?? current.consolidationPeriod,
        vatSet: input.vatRates ? CUSTOM_VAT_SET : (preset?.code ?? current.vatSet),
        vatRates,
        defaultVatCategory: input.defaultVatCategory ?? current.defaultVatCategory,
        fiscalYearStartMonth: input.fiscalYearStartMonth ?? current.fiscalYearStartMonth,
        numberPattern: input.numberPattern ?? current.numberPattern,
        invoiceSeries: input.invoiceSeries ?? current.invoiceSeries,
        creditNoteSeries: input.creditNoteSeries ?? current.creditNoteSeries,
        quoteValidityDays: input.quoteValidityDays ?? current.quoteValidityDays,
        repriceOnPlanning: input.repriceOnPlanning ?? current.repriceOnPlanning,
      };
      if (vatRates[next.defaultVatCategory] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['defaultVatCategory'], message: `${next.defaultVatCategory} has no rate in the VAT rate set` });
      }
      if (next.invoiceSeries === next.creditNoteSeries) {
        ctx.addIssue({ code: 'custom', path: ['creditNoteSeries'], message: 'must differ from invoiceSeries' });
      }
      return next;
    });

/** The consolidation period holding `at` (UTC): [start, end). Weeks start on Monday (ISO 8601). */
export function periodOf(at: Date, period: ConsolidationPeriod): { start: Date; end: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (period === 'MONTH') return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  const day = (at.getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const start = new Date(Date.UTC(y, m, at.getUTCDate() - day));
  return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
}
