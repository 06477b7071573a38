/**
 * An exact decimal amount (the graph's strings) in the organization's locale and currency. The
 * number is only formatted here, never computed with, so float rounding cannot change a total.
 */
export function formatMoney(amount: string, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(amount));
}

/** A point in time in the organization's locale. */
export const formatTime = (iso: string | null | undefined, locale: string): string =>
  iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso)) : '—';
