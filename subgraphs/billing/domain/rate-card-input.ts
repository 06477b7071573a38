import { z } from 'zod';
import { isCurrency } from './money.ts';
import { RuleSetSchema } from './rate-rules.ts';

const currency = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine(isCurrency, 'is not a currency billing prices in (ISO 4217, e.g. EUR)');

/** The period and rules of a version; an open end (null) means until superseded. */
const versionFields = {
  name: z.string().trim().min(1).max(100),
  currency,
  effectiveFrom: z.date().nullish(),
  effectiveTo: z.date().nullish(),
  rules: RuleSetSchema,
};

const checkPeriod = (v: { effectiveFrom?: Date | null; effectiveTo?: Date | null }, ctx: z.RefinementCtx, now: Date) => {
  const from = v.effectiveFrom ?? now;
  if (v.effectiveTo && v.effectiveTo <= from) ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'must be after effectiveFrom' });
};

/** createRateCard's input; `now` is when an unset effectiveFrom starts. */
export const createRateCardSchema = (now: Date) =>
  z
    .object({ code: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'must be 2-32 upper-case letters, digits or _'), makeDefault: z.boolean().nullish(), ...versionFields })
    .superRefine((v, ctx) => checkPeriod(v, ctx, now))
    .transform((v) => ({ ...v, effectiveFrom: v.effectiveFrom ?? now, effectiveTo: v.effectiveTo ?? null, makeDefault: v.makeDefault ?? false }));

/** publishRateCardVersion's input: a new version of an existing card (name and currency may change). */
export const publishVersionSchema = (now: Date) =>
  z
    .object({ rateCardId: z.uuid(), ...versionFields })
    .superRefine((v, ctx) => checkPeriod(v, ctx, now))
    .transform((v) => ({ ...v, effectiveFrom: v.effectiveFrom ?? now, effectiveTo: v.effectiveTo ?? null }));

export type CreateRateCard = z.output<ReturnType<typeof createRateCardSchema>>;
export type PublishVersion = z.output<ReturnType<typeof publishVersionSchema>>;
