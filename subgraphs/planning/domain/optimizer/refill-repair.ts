import type { VehicleType } from './instance.ts';
import { bestInRoute } from './insertion.ts';
import type { Route } from './route.ts';
import type { Rng } from './rng.ts';
import type { Solution } from './solution.ts';

/** Largest free room (in demand units) the subset-sum table is built for. */
const MAX_TABLE = 100_000;

/**
 * Repair for fleets without slack: the free room of each route, largest
 * first, is filled with the subset of removed stops whose demands come
 * closest to it (exactly, when possible), preferring stops that are cheap
 * to insert there. Greedy insertion puts each stop at its cheapest place
 * and so strands the last ones when the room left is exactly what was
 * removed; filling room by room does not. Needs integer weights and no
 * volumes; returns false (doing nothing) otherwise. Stops left over stay
 * unassigned for the caller.
 */
export function refillRepair(s: Solution, rng: Rng): boolean {
  const inst = s.inst;
  if (inst.hasVolume) return false;
  const pending = s.unassigned.slice();
  if (pending.length === 0) return true;
  for (const u of pending) if (!Number.isInteger(inst.demand[u])) return false;
  let minDemand = Infinity;
  for (const u of pending) minDemand = Math.min(minDemand, inst.demand[u] as number);
  const order = s.routes.map((r, i) => ({ i, room: (inst.vehicleTypes[r.type] as VehicleType).capacity - r.load, tie: rng.next() }));
  order.sort((a, b) => b.room - a.room || a.tie - b.tie);
  const left = new Set(pending);
  for (const { i, room } of order) {
    if (left.size === 0) break;
    if (room < minDemand || !Number.isInteger(room) || room > MAX_TABLE) continue;
    const r = s.routes[i] as Route;
    const items: number[] = [];
    const costs: number[] = [];
    for (const u of left) {
      if ((inst.demand[u] as number) > room) continue;
      const b = bestInRoute(inst, r, u, null, 0);
      if (!Number.isFinite(b.delta)) continue;
      items.push(u);
      costs.push(b.delta);
    }
    if (items.length === 0) continue;
    for (const u of chooseSubset(inst.demand, items, costs, room)) {
      // Insert one by one; positions are re-evaluated on the grown route.
      const cur = s.routes[i] as Route;
      const b = bestInRoute(inst, cur, u, null, 0);
      if (b.pos < 0) continue;
      s.insert(u, i, b.pos);
      left.delete(u);
    }
  }
  return true;
}

/** Subset of items with the largest total demand not above room, then the least total cost. */
function chooseSubset(demand: Float64Array, items: readonly number[], costs: readonly number[], room: number): number[] {
  const W = room + 1;
  const cost = new Float64Array(W).fill(Infinity);
  cost[0] = 0;
  const took = new Uint8Array(items.length * W);
  for (let k = 0; k < items.length; k++) {
    const q = demand[items[k] as number] as number;
    const c = costs[k] as number;
    for (let w = room; w >= q; w--) {
      const via = (cost[w - q] as number) + c;
      if (via < (cost[w] as number)) {
        cost[w] = via;
        took[k * W + w] = 1;
      }
    }
  }
  let w = room;
  while (w > 0 && !Number.isFinite(cost[w] as number)) w--;
  const out: number[] = [];
  for (let k = items.length - 1; k >= 0 && w > 0; k--) {
    if (took[k * W + w]) {
      out.push(items[k] as number);
      w -= demand[items[k] as number] as number;
    }
  }
  return out;
}
