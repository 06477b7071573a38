/**
 * Invoice arithmetic, exact. Rounding rule (the same as quotes, money.ts): each line is rounded
 * ONCE, half away from zero, to the currency's minor unit: net = quantity x unit price, then
 * VAT = net x rate / 100. The invoice's subtotal, tax and total are sums of the rounded lines,
 * so what a reader adds up on paper is exactly what is charged (no per-invoice re-rounding).
 */
import { formatDecimal, minorDigits, parseDecimal, rescale } from './money.ts';
import { VAT_RATE_SCALE } from './vat.ts';

export const QUANTITY_SCALE = 3;

export interface LineInput {
  quantity: string;
  unitPrice: string;
  vatRate: string;
}

export interface LineAmounts {
  amount: string;
  taxAmount: string;
}

export function lineAmounts(line: LineInput, currency: string): LineAmounts {
  const digits = minorDigits(currency);
  const net = rescale(parseDecimal(line.quantity, QUANTITY_SCALE) * parseDecimal(line.unitPrice, digits), QUANTITY_SCALE + digits, digits);
  // rate is a percent at scale 2: net x rate / 100 has digits + 2 + 2 fraction digits.
  const tax = rescale(net * parseDecimal(line.vatRate, VAT_RATE_SCALE), digits + VAT_RATE_SCALE + 2, digits);
  return { amount: formatDecimal(net, digits), taxAmount: formatDecimal(tax, digits) };
}

export interface Totals {
  subtotal: string;
  tax: string;
  total: string;
}

export function invoiceTotals(lines: ReadonlyArray<LineAmounts>, currency: string): Totals {
  const digits = minorDigits(currency);
  const subtotal = lines.reduce((s, l) => s + parseDecimal(l.amount, digits), 0n);
  const tax = lines.reduce((s, l) => s + parseDecimal(l.taxAmount, digits), 0n);
  return { subtotal: formatDecimal(subtotal, digits), tax: formatDecimal(tax, digits), total: formatDecimal(subtotal + tax, digits) };
}

/** A credit note's line: the same unit price and rate, the quantity negated, so every amount is the negative. */
export const negateQuantity = (quantity: string): string => (quantity.startsWith('-') ? quantity.slice(1) : `-${quantity}`);
