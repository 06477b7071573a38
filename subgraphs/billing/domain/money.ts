/**
 * Exact decimal arithmetic for money, distances and weights: values are bigints at an explicit
 * scale (number of fraction digits), never binary floats, so 0.1 + 0.2 is 0.3 and a quote adds up
 * to the cent.
 *
 * Rounding rule (the only one billing uses): half away from zero ("commercial half-up") to the
 * target scale, e.g. 2.345 -> 2.35 and -2.345 -> -2.35.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string ("4.90", "-1", "0.125") to a bigint at `scale`; more digits than that is an error. */
export function parseDecimal(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a decimal: "${text}"`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) throw new RangeError(`"${text}" has more than ${scale} decimal places`);
  const value = BigInt(whole! + fraction.padEnd(scale, '0'));
  return sign ? -value : value;
}

/** The number of fraction digits of a decimal string ("4.90" -> 2). */
export const fractionDigits = (text: string): number => DECIMAL.exec(text)?.[3]?.length ?? 0;

const POW10: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
export const pow10 = (n: number): bigint => POW10[n] ?? 10n ** BigInt(n);

/** Rescales `value` from `from` to `to` fraction digits, rounding half away from zero when digits are dropped. */
export function rescale(value: bigint, from: number, to: number): bigint {
  if (to >= from) return value * pow10(to - from);
  const divisor = pow10(from - to);
  const quotient = value / divisor; // truncates toward zero
  const remainder = value - quotient * divisor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= divisor) return value < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

/** Formats a bigint at `scale` as a decimal string with exactly `scale` fraction digits. */
export function formatDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/** A JS number (an input float, a computed great-circle distance) as an exact decimal at `scale`, rounded half away from zero. */
export function fromNumber(value: number, scale: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  // toFixed gives the correctly rounded decimal expansion; one extra digit then our own rounding rule.
  return rescale(parseDecimal(value.toFixed(scale + 1), scale + 1), scale + 1, scale);
}

/** ISO 4217 currencies billing prices in, with their minor-unit digits. */
export const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  EUR: 2, USD: 2, GBP: 2, CHF: 2, PLN: 2, CZK: 2, SEK: 2, DKK: 2, NOK: 2, HUF: 2, RON: 2, BDT: 2, INR: 2, JPY: 0,
};
export const isCurrency = (code: string): boolean => Object.hasOwn(CURRENCY_DIGITS, code);
export const minorDigits = (currency: string): number => CURRENCY_DIGITS[currency] ?? 2;
