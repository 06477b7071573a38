/**
 * Customer tax ids, checked for syntax per country (no registry lookup, no checksums).
 *
 * Bangladesh (National Board of Revenue): the TIN of income tax, 10 digits in the old form and
 * 12 digits as today's e-TIN; the BIN of VAT registration, 9 digits as the earlier e-BIN and 13
 * digits as the BIN mandatory since 30 November 2019 (often written 9 + 4, "000123456-0101").
 * The lengths do not overlap, so the length says which one it is.
 *
 * EU member states: the VAT number is the country prefix (EL for Greece) and the state's own
 * pattern, as the European Commission's VIES service describes them.
 */
export type TaxIdScheme = 'VAT' | 'TIN' | 'BIN';

export type TaxIdCheck = { ok: true; country: string; scheme: TaxIdScheme; value: string } | { ok: false; field: 'country' | 'value'; message: string };

/** Member state -> VAT number prefix and the pattern of what follows it. */
const EU_VAT: Readonly<Record<string, { prefix: string; pattern: RegExp; shape: string }>> = {
  AT: { prefix: 'AT', pattern: /^U\d{8}$/, shape: 'U and 8 digits' },
  BE: { prefix: 'BE', pattern: /^[01]\d{9}$/, shape: '10 digits starting with 0 or 1' },
  BG: { prefix: 'BG', pattern: /^\d{9,10}$/, shape: '9 or 10 digits' },
  CY: { prefix: 'CY', pattern: /^\d{8}[A-Z]$/, shape: '8 digits and a letter' },
  CZ: { prefix: 'CZ', pattern: /^\d{8,10}$/, shape: '8 to 10 digits' },
  DE: { prefix: 'DE', pattern: /^\d{9}$/, shape: '9 digits' },
  DK: { prefix: 'DK', pattern: /^\d{8}$/, shape: '8 digits' },
  EE: { prefix: 'EE', pattern: /^\d{9}$/, shape: '9 digits' },
  GR: { prefix: 'EL', pattern: /^\d{9}$/, shape: '9 digits' },
  ES: { prefix: 'ES', pattern: /^(?:[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$/, shape: 'a letter, 7 digits and a letter or digit, or 8 digits and a letter' },
  FI: { prefix: 'FI', pattern: /^\d{8}$/, shape: '8 digits' },
  FR: { prefix: 'FR', pattern: /^[0-9A-HJ-NP-Z]{2}\d{9}$/, shape: '2 letters or digits (not I or O) and 9 digits' },
  HR: { prefix: 'HR', pattern: /^\d{11}$/, shape: '11 digits' },
  HU: { prefix: 'HU', pattern: /^\d{8}$/, shape: '8 digits' },
  IE: { prefix: 'IE', pattern: /^(?:\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/, shape: '7 digits and 1 or 2 letters, or a digit, a letter, 5 digits and a letter' },
  IT: { prefix: 'IT', pattern: /^\d{11}$/, shape: '11 digits' },
  LT: { prefix: 'LT', pattern: /^(?:\d{9}|\d{12})$/, shape: '9 or 12 digits' },
  LU: { prefix: 'LU', pattern: /^\d{8}$/, shape: '8 digits' },
  LV: { prefix: 'LV', pattern: /^\d{11}$/, shape: '11 digits' },
  MT: { prefix: 'MT', pattern: /^\d{8}$/, shape: '8 digits' },
  NL: { prefix: 'NL', pattern: /^\d{9}B\d{2}$/, shape: '9 digits, B and 2 digits' },
  PL: { prefix: 'PL', pattern: /^\d{10}$/, shape: '10 digits' },
  PT: { prefix: 'PT', pattern: /^\d{9}$/, shape: '9 digits' },
  RO: { prefix: 'RO', pattern: /^[1-9]\d{1,9}$/, shape: '2 to 10 digits, not starting with 0' },
  SE: { prefix: 'SE', pattern: /^\d{10}01$/, shape: '12 digits ending in 01' },
  SI: { prefix: 'SI', pattern: /^\d{8}$/, shape: '8 digits' },
  SK: { prefix: 'SK', pattern: /^\d{10}$/, shape: '10 digits' },
};

export const TAX_ID_COUNTRIES = ['BD', ...Object.keys(EU_VAT)].sort();

/** Spaces, dots and dashes are how people write these numbers, never part of them. */
const compact = (raw: string) => raw.toUpperCase().replace(/[\s.\-/]/g, '');

export function checkTaxId(countryInput: string, raw: string): TaxIdCheck {
  const country = countryInput.toUpperCase();
  const value = compact(raw);
  if (!value) return { ok: false, field: 'value', message: 'is empty' };
  if (country === 'BD') {
    if (!/^\d+$/.test(value)) return { ok: false, field: 'value', message: 'a Bangladeshi TIN or BIN has digits only' };
    if (value.length === 10 || value.length === 12) return { ok: true, country, scheme: 'TIN', value };
    if (value.length === 9 || value.length === 13) return { ok: true, country, scheme: 'BIN', value };
    return { ok: false, field: 'value', message: `has ${value.length} digits; a Bangladeshi TIN has 10 or 12 (e-TIN), a BIN 9 (e-BIN) or 13` };
  }
  const rule = EU_VAT[country];
  if (!rule) return { ok: false, field: 'country', message: `no tax id rules for country "${countryInput}"; known: ${TAX_ID_COUNTRIES.join(', ')}` };
  // The prefix is optional on input and always stored.
  const body = value.startsWith(rule.prefix) ? value.slice(rule.prefix.length) : value;
  if (!rule.pattern.test(body)) return { ok: false, field: 'value', message: `a ${country} VAT number is ${rule.prefix} followed by ${rule.shape}` };
  return { ok: true, country, scheme: 'VAT', value: `${rule.prefix}${body}` };
}
