import type { Instance, VehicleType } from './instance.ts';
import type { Neighbours } from './neighbours.ts';
import { makeRoute, type Route } from './route.ts';
import type { Rng } from './rng.ts';
import { Solution } from './solution.ts';

/** Largest capacity (in demand units) the subset-sum table is built for. */
const MAX_TABLE = 100_000;
/** Largest subset-sum table (items x capacity) per vehicle filled. */
const MAX_CELLS = 400_000;

/**
 * Construction for fleets with little or no slack (single vehicle type,
 * weights only, no time limits, integer demands): routes are filled one at
 * a time around a far seed, each with the subset of nearby stops whose
 * demands add up as close to the capacity as possible, preferring stops
 * near the seed (a subset-sum table per route). Savings and insertion fill
 * vehicles greedily and strand the last stops when the fleet has no spare
 * room; filling each vehicle exactly is what a zero-slack fleet needs.
 * Returns null when the instance is outside that scope. Several randomised
 * attempts; the one leaving fewest stops out (then shortest) wins.
 */
export function packedConstruction(inst: Instance, routable: readonly number[], rng: Rng, attempts: number): Solution | null {
  if (inst.vehicleTypes.length !== 1 || inst.hasVolume || inst.hasTime) return null;
  const vt = inst.vehicleTypes[0] as VehicleType;
  const Q = vt.capacity;
  if (!Number.isInteger(Q) || Q <= 0 || Q > MAX_TABLE) return null;
  for (const u of routable) if (!Number.isInteger(inst.demand[u])) return null;
  let best: Solution | null = null;
  for (let a = 0; a < attempts; a++) {
    const s = attempt(inst, vt, routable, rng, a === 0, OUTWARD[a % OUTWARD.length] as number);
    if (!best || s.unassigned.length < best.unassigned.length || (s.unassigned.length === best.unassigned.length && s.distance() < best.distance())) best = s;
  }
  return best;
}

/**
 * How much a stop's own depot distance lowers its cost of joining a seed's
 * route, per attempt: leaning outwards gives petal-shaped routes that leave
 * the stops near the depot to be picked up on the way (on planted 100-200
 * stop instances, mixing these beat a pure nearest-to-seed fill by 3-7%).
 */
const OUTWARD = [0, 0.3, 0.5, 0.15];

function attempt(inst: Instance, vt: VehicleType, routable: readonly number[], rng: Rng, plain: boolean, outward: number): Solution {
  const n = inst.nodeCount;
  const d = inst.dist;
  const Q = vt.capacity;
  const depot = vt.startNode;
  const remaining = new Set(routable);
  let total = 0;
  for (const u of routable) total += inst.demand[u] as number;
  const sol = new Solution(inst);
  while (remaining.size > 0 && sol.canOpen(0)) {
    let group: number[];
    if (total <= Q) group = [...remaining];
    else {
      // Seed: the farthest stop (first attempt) or one of the farthest few.
      const byFar = [...remaining].sort((x, y) => (d[depot * n + y] as number) - (d[depot * n + x] as number) || x - y);
      const seed = byFar[plain ? 0 : rng.int(Math.min(3, byFar.length))] as number;
      const near = [...remaining].filter((u) => u !== seed).sort((x, y) => (d[seed * n + x] as number) - (d[seed * n + y] as number) || x - y);
      group = [seed];
      let bestFill = -1;
      // Wider pools only while the table stays small: one table is pool x capacity.
      const widest = Math.max(20, Math.floor(MAX_CELLS / (Q + 1)));
      for (const m of [20, 40, 80, near.length]) {
        if (m > widest && m > 20) break;
        const pool = near.slice(0, Math.min(m, near.length, Math.max(20, widest)));
        const pick = fillExactly(inst, depot, seed, pool, Q, outward);
        const fill = pick.reduce((acc, u) => acc + (inst.demand[u] as number), 0);
        if (fill > bestFill) {
          bestFill = fill;
          group = pick;
        }
        if (fill === Q || m >= near.length) break;
      }
    }
    for (const u of group) {
      remaining.delete(u);
      total -= inst.demand[u] as number;
    }
    sol.addRoute(0, nearestNeighbourOrder(inst, depot, group));
  }
  sol.unassigned.push(...remaining);
  return sol;
}

/**
 * The seed plus a subset of `pool` with the largest total demand not above
 * Q, among those the one with the smallest sum of distances to the seed
 * (less `outward` times their depot distances).
 */
function fillExactly(inst: Instance, depot: number, seed: number, pool: readonly number[], Q: number, outward: number): number[] {
  const n = inst.nodeCount;
  const start = inst.demand[seed] as number;
  const cost = new Float64Array(Q + 1).fill(Infinity);
  cost[start] = 0;
  // took[i * (Q + 1) + w]: item i was added to reach weight w at step i.
  const W = Q + 1;
  const took = new Uint8Array(pool.length * W);
  for (let i = 0; i < pool.length; i++) {
    const u = pool[i] as number;
    const q = inst.demand[u] as number;
    const c = (inst.dist[seed * n + u] as number) - outward * (inst.dist[depot * n + u] as number);
    for (let w = Q; w >= start + q; w--) {
      const via = (cost[w - q] as number) + c;
      if (via < (cost[w] as number)) {
        cost[w] = via;
        took[i * W + w] = 1;
      }
    }
  }
  let w = Q;
  while (w > start && !Number.isFinite(cost[w] as number)) w--;
  const out = [seed];
  for (let i = pool.length - 1; i >= 0 && w > start; i--) {
    if (took[i * W + w]) {
      const u = pool[i] as number;
      out.push(u);
      w -= inst.demand[u] as number;
    }
  }
  return out;
}

function nearestNeighbourOrder(inst: Instance, depot: number, group: readonly number[]): number[] {
  const n = inst.nodeCount;
  const left = new Set(group);
  const out: number[] = [];
  let at = depot;
  while (left.size > 0) {
    let next = -1;
    let bestD = Infinity;
    for (const u of left) {
      const x = inst.dist[at * n + u] as number;
      if (x < bestD || (x === bestD && u < next)) {
        bestD = x;
        next = u;
      }
    }
    out.push(next);
    left.delete(next);
    at = next;
  }
  // Route order is only a start: the local search straightens it.
  return makeRoute(inst, 0, out).nodes.slice();
}

/**
 * Large move for fleets without slack: the routes around a random stop
 * (its own and those of its nearest neighbours, `routes` in all) are
 * dissolved and their stops packed again into as many vehicles by the
 * exact-fill construction, keeping the shortest complete packing found.
 * Unlike single-stop moves, this keeps every vehicle exactly as full while
 * changing which stops share one. Returns false, leaving s alone, when no
 * attempt packs every stop or the scope does not allow it.
 */
export function repackRegion(s: Solution, nb: Neighbours, rng: Rng, routes: number, attempts: number): boolean {
  const inst = s.inst;
  if (inst.vehicleTypes.length !== 1 || inst.hasVolume || inst.hasTime || s.routes.length < 2) return false;
  const vt = inst.vehicleTypes[0] as VehicleType;
  if (!Number.isInteger(vt.capacity) || vt.capacity > MAX_TABLE) return false;
  const all = s.routes.flatMap((r) => r.nodes);
  const seed = all[rng.int(all.length)] as number;
  const picked: number[] = [s.routeOf[seed] as number];
  for (let j = 0; j < nb.k && picked.length < routes; j++) {
    const ri = s.routeOf[nb.list[seed * nb.k + j] as number] as number;
    if (ri >= 0 && !picked.includes(ri)) picked.push(ri);
  }
  if (picked.length < 2) return false;
  const stops = picked.flatMap((ri) => (s.routes[ri] as Route).nodes);
  const view: Instance = { ...inst, maxVehicles: picked.length };
  let best: Solution | null = null;
  for (let a = 0; a < attempts; a++) {
    const t = attempt(view, vt, stops, rng, false, OUTWARD[rng.int(OUTWARD.length)] as number);
    if (t.unassigned.length === 0 && (!best || t.distance() < best.distance())) best = t;
  }
  if (!best) return false;
  // Replace the picked routes (highest index first, so indices stay valid).
  const sorted = picked.slice().sort((x, y) => y - x);
  for (const ri of sorted) {
    for (const u of (s.routes[ri] as Route).nodes) {
      s.routeOf[u] = -1;
      s.posOf[u] = -1;
    }
    s.dropRoute(ri);
  }
  for (const r of best.routes) s.addRoute(0, r.nodes);
  return true;
}
