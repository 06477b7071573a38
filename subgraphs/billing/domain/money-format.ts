/** Money as people read it, in an organization's locale, by the platform's Intl (CLDR) and nothing hand-written. */
import { minorDigits } from './money.ts';

/** What an organization that billing has not heard about yet sees. */
export const DEFAULT_LOCALE = 'en-US';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits = minorDigits(currency);
    // The amount already has the currency's minor digits; showing exactly those keeps it the same number.
    const options: Intl.NumberFormatOptions = { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits };
    try {
      formatter = new Intl.NumberFormat(locale, options);
    } catch {
      formatter = new Intl.NumberFormat(DEFAULT_LOCALE, options);
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * An exact decimal string ("123456.50") formatted for `locale`: "১,২৩,৪৫৬.৫০৳" in bn-BD (Bengali
 * digits, lakh grouping, CLDR puts the taka sign after), "123.456,50 €" in de-DE. The string goes to
 * Intl as a string, which formats it as an exact decimal, never through a binary float.
 */
export function formatMoney(amount: string, currency: string, locale: string): string {
  return formatterFor(locale, currency).format(amount as unknown as number);
}
