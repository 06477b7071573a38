/**
 * VAT: every invoice line is taxed under a category; the organization's rate set gives each
 * category its percentage. Rates are decimal strings (at most 2 places, e.g. "7.5"), never floats.
 */
import { z } from 'zod';
import { fractionDigits, parseDecimal } from './money.ts';

export const VAT_CATEGORIES = ['STANDARD', 'REDUCED', 'SUPER_REDUCED', 'ZERO', 'EXEMPT'] as const;
export type VatCategory = (typeof VAT_CATEGORIES)[number];

/** Percent per category; only the categories a country uses are present. */
export type VatRates = Partial<Record<VatCategory, string>>;

export const VAT_RATE_SCALE = 2;

export interface VatRateSet {
  code: string;
  name: string;
  country: string;
  rates: VatRates;
}

/**
 * The sets shipped as examples. EU_DE: Germany's standard 19 % and reduced 7 % (UStG §12), plus
 * zero-rated and exempt supplies, an EU member state's usual shape. BD: Bangladesh under the VAT and
 * Supplementary Duty Act 2012: standard 15 %, reduced 7.5 % and 5 %, and zero-rated (exports).
 */
export const VAT_RATE_SETS: readonly VatRateSet[] = [
  { code: 'EU_DE', name: 'EU: Germany (19 / 7 / 0)', country: 'DE', rates: { STANDARD: '19', REDUCED: '7', ZERO: '0', EXEMPT: '0' } },
  { code: 'BD', name: 'Bangladesh (15 / 7.5 / 5 / 0)', country: 'BD', rates: { STANDARD: '15', REDUCED: '7.5', SUPER_REDUCED: '5', ZERO: '0' } },
];
export const DEFAULT_VAT_SET = VAT_RATE_SETS[0]!;
export const CUSTOM_VAT_SET = 'CUSTOM';

export const vatRateSet = (code: string): VatRateSet | undefined => VAT_RATE_SETS.find((s) => s.code === code);

/** A rate is a percentage in [0, 100) with at most two decimal places; ZERO and EXEMPT are 0. */
const rateText = z
  .preprocess(
    (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
    z.string({ error: 'must be a percentage' }).regex(/^\d{1,3}(\.\d+)?$/, 'must be a non-negative percentage, e.g. "19" or "7.5"'),
  )
  .superRefine((s, ctx) => {
    if (fractionDigits(s) > VAT_RATE_SCALE) ctx.addIssue({ code: 'custom', message: `must have at most ${VAT_RATE_SCALE} decimal places` });
    else if (parseDecimal(s, VAT_RATE_SCALE) >= 10_000n) ctx.addIssue({ code: 'custom', message: 'must be below 100 (out of range)' });
  });

export const VatRateListSchema = z
  .array(z.object({ category: z.enum(VAT_CATEGORIES), ratePercent: rateText }))
  .min(1, 'a VAT rate set needs at least one category')
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, r] of list.entries()) {
      if (seen.has(r.category)) ctx.addIssue({ code: 'custom', path: [i, 'category'], message: `${r.category} appears more than once` });
      seen.add(r.category);
      if ((r.category === 'ZERO' || r.category === 'EXEMPT') && parseDecimal(r.ratePercent, VAT_RATE_SCALE) !== 0n) {
        ctx.addIssue({ code: 'custom', path: [i, 'ratePercent'], message: `${r.category} must be 0` });
      }
    }
  })
  .transform((list): VatRates => Object.fromEntries(list.map((r) => [r.category, r.ratePercent])));

/** The percentage of a category in a set, or undefined when the set has no such category. */
export const vatRateOf = (rates: VatRates, category: VatCategory): string | undefined => rates[category];

/** A set as a list in category order, for the API. */
export const vatRateList = (rates: VatRates) =>
  VAT_CATEGORIES.filter((c) => rates[c] !== undefined).map((category) => ({ category, ratePercent: rates[category]! }));
