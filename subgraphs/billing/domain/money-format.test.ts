import { describe, expect, it } from 'vitest';
import { formatMoney } from './money-format.ts';

describe('formatting money for an organization', () => {
  it('given bn-BD and taka, then Bengali digits in lakh grouping with the taka sign, as CLDR has it', () => {
    expect(formatMoney('123456.50', 'BDT', 'bn-BD')).toBe('১,২৩,৪৫৬.৫০৳');
  });

  it('given bn-BD asking for Latin digits, then 1,23,456.50৳', () => {
    expect(formatMoney('123456.50', 'BDT', 'bn-BD-u-nu-latn')).toBe('1,23,456.50৳');
  });

  it('given de-DE and euros, then dot grouping, comma decimals and the sign after', () => {
    expect(formatMoney('1234.50', 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
  });

  it('given an amount beyond a double’s precision, then every digit survives', () => {
    expect(formatMoney('12345678901234567.89', 'EUR', 'en-US')).toBe('€12,345,678,901,234,567.89');
  });

  it('given a negative amount (a credit note), then the locale’s minus sign', () => {
    expect(formatMoney('-16.65', 'EUR', 'de-DE')).toBe('-16,65\u00a0€');
  });

  it('given a currency without minor units, then none are shown', () => {
    expect(formatMoney('1500', 'JPY', 'en-US')).toBe('¥1,500');
  });

  it('given a locale Intl cannot use, then en-US rather than an error', () => {
    expect(formatMoney('1.00', 'EUR', 'not a locale!')).toBe('€1.00');
  });
});
