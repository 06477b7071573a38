/** An organization's own settings (name, locale, currency, time zone) and how a new one is described. */
import { z } from 'zod';
import { emailSchema, personNameSchema } from './invitation.ts';

export interface OrganizationSettings {
  name: string;
  locale: string;
  currency: string;
  timeZone: string;
}

export const DEFAULT_ORGANIZATION_SETTINGS = { locale: 'en-US', currency: 'EUR', timeZone: 'UTC' } as const;

/**
 * A BCP 47 tag the platform's Intl can format with, in its canonical spelling (`de-de` -> `de-DE`).
 * Extensions are kept, so `bn-BD-u-nu-latn` asks for Latin digits in Bengali formatting.
 */
export function canonicalLocale(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length === 1 ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** The IANA zone's canonical name (`europe/berlin` -> `Europe/Berlin`), or undefined if Intl does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const localeSchema = z
  .string()
  .trim()
  .transform((tag, ctx) => canonicalLocale(tag) ?? (ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 locale such as de-DE or bn-BD' }), z.NEVER));

export const currencySchema = z
  .string()
  .trim()
  .transform((c) => c.toUpperCase())
  .refine((c) => /^[A-Z]{3}$/.test(c) && CURRENCIES.has(c), 'must be an ISO 4217 currency code such as EUR or BDT');

export const timeZoneSchema = z
  .string()
  .trim()
  .transform((zone, ctx) => canonicalTimeZone(zone) ?? (ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin' }), z.NEVER));

export const organizationNameSchema = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');

/** updateOrganizationSettings' input: only the fields given change. */
export const settingsChangeSchema = z.object({
  name: organizationNameSchema.nullish(),
  locale: localeSchema.nullish(),
  currency: currencySchema.nullish(),
  timeZone: timeZoneSchema.nullish(),
});

/** The settings after a change; `changed` is false when nothing differs (no event then). */
export function applySettingsChange(current: OrganizationSettings, change: z.output<typeof settingsChangeSchema>) {
  const next: OrganizationSettings = {
    name: change.name ?? current.name,
    locale: change.locale ?? current.locale,
    currency: change.currency ?? current.currency,
    timeZone: change.timeZone ?? current.timeZone,
  };
  const changed = (Object.keys(next) as Array<keyof OrganizationSettings>).some((k) => next[k] !== current[k]);
  return { next, changed };
}

export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

/** createOrganization's input: the tenant, its settings (defaults where not given), and its first ADMIN. */
export const createOrganizationSchema = z.object({
  name: organizationNameSchema,
  slug: z.string().trim().regex(SLUG_PATTERN, 'must be 2-40 lower-case letters, digits or -, starting with a letter'),
  locale: localeSchema.nullish().transform((v) => v ?? DEFAULT_ORGANIZATION_SETTINGS.locale),
  currency: currencySchema.nullish().transform((v) => v ?? DEFAULT_ORGANIZATION_SETTINGS.currency),
  timeZone: timeZoneSchema.nullish().transform((v) => v ?? DEFAULT_ORGANIZATION_SETTINGS.timeZone),
  admin: z.object({ email: emailSchema, name: personNameSchema }),
});
export type CreateOrganization = z.output<typeof createOrganizationSchema>;
