/**
 * Pricing rules are data: a rate card version holds a list of rules, a discriminated union on
 * `kind`, validated here when a card is saved (and again when read, so a stored card can be trusted).
 * Amounts, distances and weights are decimal strings (numbers are accepted and read as their
 * decimal text), so nothing is ever a binary float.
 */
import { z } from 'zod';
import { fractionDigits, parseDecimal } from './money.ts';

/** Rule amounts may carry sub-cent precision (a per-km rate of 0.125); lines are rounded once, at the end. */
export const RATE_SCALE = 6;

const decimalText = (what: string, maxDigits: number) =>
  z.preprocess(
    (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
    z
      .string({ error: `must be ${what}` })
      .regex(/^\d{1,9}(\.\d+)?$/, `must be ${what} (a non-negative decimal, e.g. "4.90")`)
      .refine((s) => fractionDigits(s) <= maxDigits, `must have at most ${maxDigits} decimal places`),
  );

const amount = decimalText('an amount', RATE_SCALE);
const km = decimalText('a distance in km', 3);
const kg = decimalText('a weight in kg', 3);
const percent = decimalText('a percentage', 4).refine((s) => parseDecimal(s, 4) <= 1_000_000n, 'must be at most 100');

/** A band [fromKm, toKm) or a tier [fromKg, toKg); the last one is open-ended (to: null). */
const DistanceBand = z.object({ fromKm: km, toKm: km.nullable().default(null), amount });
const WeightTier = z.object({ fromKg: kg, toKg: kg.nullable().default(null), amount });

/** Every rule kind a card may hold (the discriminant). */
export const RULE_KINDS = [
  'BASE_FEE', 'DISTANCE_BANDS', 'PER_KM', 'WEIGHT_TIERS', 'VOLUMETRIC_WEIGHT', 'ZONE_SURCHARGE',
  'FUEL_SURCHARGE', 'EXPRESS_SURCHARGE', 'MINIMUM_CHARGE', 'CUSTOMER_DISCOUNT',
] as const;
const UNKNOWN_KIND = `unknown rule kind; expected one of ${RULE_KINDS.join(', ')}`;

export const RateRuleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('BASE_FEE'), amount }).strict(),
    z.object({ kind: z.literal('DISTANCE_BANDS'), bands: z.array(DistanceBand).min(1) }).strict(),
    z.object({ kind: z.literal('PER_KM'), rate: amount, includedKm: km.default('0') }).strict(),
    z.object({ kind: z.literal('WEIGHT_TIERS'), tiers: z.array(WeightTier).min(1) }).strict(),
    z
      .object({ kind: z.literal('VOLUMETRIC_WEIGHT'), divisor: decimalText('a divisor in cm³ per kg', 3).refine((s) => parseDecimal(s, 3) > 0n, 'must be positive') })
      .strict(),
    z
      .object({
        kind: z.literal('ZONE_SURCHARGE'),
        /** Which address's postcode decides the zone. */
        appliesTo: z.enum(['PICKUP', 'DROPOFF', 'EITHER']).default('DROPOFF'),
        zones: z
          .array(z.object({ name: z.string().min(1).max(60), postcodePrefixes: z.array(z.string().regex(/^[A-Z0-9 -]{1,10}$/i)).min(1), amount }))
          .min(1),
      })
      .strict(),
    z.object({ kind: z.literal('FUEL_SURCHARGE'), percent }).strict(),
    z
      .object({
        kind: z.literal('EXPRESS_SURCHARGE'),
        /** A delivery window this long or shorter is express. */
        maxWindowHours: decimalText('a number of hours', 2).refine((s) => parseDecimal(s, 2) > 0n, 'must be positive'),
        amount,
      })
      .strict(),
    z.object({ kind: z.literal('MINIMUM_CHARGE'), amount }).strict(),
    z.object({ kind: z.literal('CUSTOMER_DISCOUNT'), customers: z.array(z.object({ customerId: z.uuid(), percent })).min(1) }).strict(),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? UNKNOWN_KIND : undefined) },
);

export type RateRule = z.output<typeof RateRuleSchema>;
export type RuleKind = RateRule['kind'];
// The list and the union must name the same kinds.
const _sameKinds: [RuleKind, (typeof RULE_KINDS)[number]] extends [(typeof RULE_KINDS)[number], RuleKind] ? true : never = true;
void _sameKinds;

/** Bands/tiers must cover [0, ∞) without gaps or overlaps, so every distance and weight has exactly one. */
function checkCoverage(ctx: z.RefinementCtx, ranges: ReadonlyArray<{ from: string; to: string | null }>, path: (string | number)[], names: [string, string]) {
  let expected = 0n;
  for (const [i, r] of ranges.entries()) {
    const from = parseDecimal(r.from, 3);
    if (from < expected) ctx.addIssue({ code: 'custom', path: [...path, i, names[0]], message: `overlaps the previous one: starts at ${r.from}, the previous ends at ${ranges[i - 1]?.to}` });
    else if (from > expected) ctx.addIssue({ code: 'custom', path: [...path, i, names[0]], message: i === 0 ? 'the first must start at 0' : `leaves a gap after ${ranges[i - 1]?.to}` });
    if (r.to === null) {
      if (i !== ranges.length - 1) ctx.addIssue({ code: 'custom', path: [...path, i, names[1]], message: 'only the last may be open-ended' });
      return;
    }
    const to = parseDecimal(r.to, 3);
    if (to <= from) ctx.addIssue({ code: 'custom', path: [...path, i, names[1]], message: 'must be greater than its start' });
    expected = to;
  }
  ctx.addIssue({ code: 'custom', path: [...path, ranges.length - 1, names[1]], message: 'the last must be open-ended (null)' });
}

export const RuleSetSchema = z
  .array(RateRuleSchema)
  .min(1, 'a rate card needs at least one rule')
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    for (const [i, rule] of rules.entries()) {
      if (seen.has(rule.kind)) ctx.addIssue({ code: 'custom', path: [i, 'kind'], message: `${rule.kind} appears more than once` });
      seen.add(rule.kind);
      if (rule.kind === 'DISTANCE_BANDS') checkCoverage(ctx, rule.bands.map((b) => ({ from: b.fromKm, to: b.toKm })), [i, 'bands'], ['fromKm', 'toKm']);
      if (rule.kind === 'WEIGHT_TIERS') checkCoverage(ctx, rule.tiers.map((t) => ({ from: t.fromKg, to: t.toKg })), [i, 'tiers'], ['fromKg', 'toKg']);
    }
  });

export type RuleSet = z.output<typeof RuleSetSchema>;

/** The ORG_DEFAULT card every organization starts with (EUR). */
export const DEFAULT_RATE_CARD = {
  code: 'ORG_DEFAULT',
  name: 'Default Standard Rate Card',
  currency: 'EUR',
  /** Far enough back that every order of a new organization falls inside it. */
  effectiveFrom: new Date('2000-01-01T00:00:00Z'),
  rules: [
    { kind: 'BASE_FEE', amount: '4.90' },
    { kind: 'PER_KM', rate: '0.45', includedKm: '5' },
    { kind: 'VOLUMETRIC_WEIGHT', divisor: '5000' },
    { kind: 'WEIGHT_TIERS', tiers: [{ fromKg: '0', toKg: '5', amount: '0' }, { fromKg: '5', toKg: '20', amount: '3.50' }, { fromKg: '20', toKg: null, amount: '9.00' }] },
    { kind: 'EXPRESS_SURCHARGE', maxWindowHours: '2', amount: '7.50' },
    { kind: 'FUEL_SURCHARGE', percent: '12.5' },
    { kind: 'MINIMUM_CHARGE', amount: '9.90' },
  ] satisfies z.input<typeof RateRuleSchema>[],
} as const;
