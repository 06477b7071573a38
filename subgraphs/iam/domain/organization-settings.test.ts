import { describe, expect, it } from 'vitest';
import { applySettingsChange, canonicalLocale, canonicalTimeZone, createOrganizationSchema, settingsChangeSchema } from './organization-settings.ts';

const current = { name: 'Demo Logistics', locale: 'en-US', currency: 'EUR', timeZone: 'UTC' };

describe('organization settings', () => {
  it('given tags in any case, then they come back canonical, extensions kept', () => {
    expect(canonicalLocale('de-de')).toBe('de-DE');
    expect(canonicalLocale('bn-bd-u-nu-latn')).toBe('bn-BD-u-nu-latn');
    expect(canonicalTimeZone('asia/dhaka')).toBe('Asia/Dhaka');
  });

  it('given a locale, currency or zone Intl does not know, then the field at fault is named', () => {
    for (const [field, value] of [['locale', 'not a locale'], ['locale', 'zz'], ['currency', 'EURO'], ['currency', 'XYZ'], ['timeZone', 'Mars/Olympus']] as const) {
      const result = settingsChangeSchema.safeParse({ [field]: value });
      expect(result.success, `${field}=${value}`).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual([field]);
    }
  });

  it('given a partial change, then only those fields change and it says so', () => {
    const change = settingsChangeSchema.parse({ locale: 'bn-BD', currency: 'bdt', timeZone: null });
    expect(applySettingsChange(current, change)).toEqual({ next: { ...current, locale: 'bn-BD', currency: 'BDT' }, changed: true });
  });

  it('given the values it already has, then nothing changed (and nothing will be announced)', () => {
    const change = settingsChangeSchema.parse({ name: 'Demo Logistics', locale: 'en-us' });
    expect(applySettingsChange(current, change).changed).toBe(false);
  });
});

describe('createOrganization input', () => {
  it('given only a name, slug and admin, then the defaults fill in', () => {
    expect(createOrganizationSchema.parse({ name: 'Acme', slug: 'acme', admin: { email: 'Boss@Acme.test', name: 'Boss' } })).toEqual({
      name: 'Acme',
      slug: 'acme',
      locale: 'en-US',
      currency: 'EUR',
      timeZone: 'UTC',
      admin: { email: 'boss@acme.test', name: 'Boss' },
    });
  });

  it('given a slug that is not one, or a bad admin email, then the nested field is named', () => {
    expect(createOrganizationSchema.safeParse({ name: 'A', slug: 'Not OK', admin: { email: 'a@b.test', name: 'A' } }).error!.issues[0]!.path).toEqual(['slug']);
    expect(createOrganizationSchema.safeParse({ name: 'A', slug: 'ok', admin: { email: 'nope', name: 'A' } }).error!.issues[0]!.path).toEqual(['admin', 'email']);
  });
});
