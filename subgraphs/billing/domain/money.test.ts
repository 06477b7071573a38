import { describe, expect, it } from 'vitest';
import { formatDecimal, fromNumber, parseDecimal, rescale } from './money.ts';

describe('exact decimals', () => {
  it('given decimal strings, when parsed at a scale, then they are exact integers', () => {
    expect(parseDecimal('4.90', 2)).toBe(490n);
    expect(parseDecimal('0.1', 6) + parseDecimal('0.2', 6)).toBe(parseDecimal('0.3', 6));
    expect(parseDecimal('-1.5', 3)).toBe(-1500n);
    expect(() => parseDecimal('1.234', 2)).toThrow(/more than 2/);
    expect(() => parseDecimal('1e3', 2)).toThrow(/not a decimal/);
  });

  it('given a value with more digits, when rescaled, then it rounds half away from zero', () => {
    expect(rescale(2345n, 3, 2)).toBe(235n); // 2.345 -> 2.35
    expect(rescale(2344n, 3, 2)).toBe(234n);
    expect(rescale(-2345n, 3, 2)).toBe(-235n); // -2.345 -> -2.35
    expect(rescale(-2344n, 3, 2)).toBe(-234n);
    expect(rescale(5n, 1, 0)).toBe(1n);
    expect(rescale(12n, 2, 4)).toBe(1200n);
  });

  it('given amounts, when formatted, then they keep exactly their scale', () => {
    expect(formatDecimal(490n, 2)).toBe('4.90');
    expect(formatDecimal(5n, 2)).toBe('0.05');
    expect(formatDecimal(-5n, 2)).toBe('-0.05');
    expect(formatDecimal(7n, 0)).toBe('7');
  });

  it('given a float, when taken as a decimal, then it is the nearest decimal, not the binary artefact', () => {
    expect(fromNumber(0.1 + 0.2, 3)).toBe(300n);
    expect(fromNumber(2.5, 3)).toBe(2500n);
    expect(fromNumber(1.0005, 3)).toBe(1001n);
  });
});
