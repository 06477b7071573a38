/**
 * The price lock: the price a customer accepted at checkout is the price invoiced, for deliveries
 * up to the lock's end. Planning does not move it (the planned distance is the carrier's cost to
 * serve, kept beside the price for margin reporting), unless the organization bills on the
 * planned distance (`repriceOnPlanning`). Pure: the caller gives the moments.
 */
import { formatDecimal, minorDigits, parseDecimal } from './money.ts';

export type QuoteReason = 'CHECKOUT' | 'PLANNED_DISTANCE' | 'LOCK_EXPIRED';

const DAY_MS = 86_400_000;

/** The end of a checkout quote's lock: `validityDays` whole days after the order was placed. */
export const lockedUntil = (acceptedAt: Date, validityDays: number): Date => new Date(acceptedAt.getTime() + validityDays * DAY_MS);

/**
 * What a delivery is invoiced at: the quote as it stands (`KEEP`), or a re-price because the lock
 * ended before the delivery. Decided on the delivery's moment, not on when billing hears of it,
 * so a late or replayed event invoices the same. No lock (null) means the quote is final.
 */
export function priceAtDelivery(lock: Date | null, deliveredAt: Date): 'KEEP' | 'LOCK_EXPIRED' {
  return lock !== null && deliveredAt.getTime() > lock.getTime() ? 'LOCK_EXPIRED' : 'KEEP';
}

/** A planned route re-prices the quote only where the organization bills on the planned distance. */
export const planningReprices = (settings: { repriceOnPlanning: boolean }): boolean => settings.repriceOnPlanning;

/** Price minus cost to serve, exact, in the currency's minor unit (negative when serving costs more). */
export function marginOf(total: string, costToServe: string, currency: string): string {
  const digits = minorDigits(currency);
  return formatDecimal(parseDecimal(total, digits) - parseDecimal(costToServe, digits), digits);
}
