import { formatDecimal, fromNumber } from './money.ts';

/**
 * How much of a planned route's distance an order is billed for. Choice: an EQUAL SHARE of the
 * whole route (depot legs included), in whole metres, the remainder metres going to the first
 * stops so the shares add up exactly to the route's distance. Why not the leg to the stop: which
 * stop carries the long depot leg is an accident of the optimizer's visiting order, and customers
 * on the same run would pay very different prices for the same service; an equal share bills
 * exactly the kilometres driven.
 */
export function plannedShares(routeDistanceKm: number, orderIds: readonly string[]): Map<string, string> {
  const shares = new Map<string, string>();
  if (!orderIds.length) return shares;
  const metres = fromNumber(routeDistanceKm, 3);
  const n = BigInt(orderIds.length);
  const each = metres / n;
  const remainder = metres - each * n;
  orderIds.forEach((id, i) => shares.set(id, formatDecimal(each + (BigInt(i) < remainder ? 1n : 0n), 3)));
  return shares;
}
