import type { Instance, VehicleType } from './instance.ts';
import type { Neighbours } from './neighbours.ts';
import { makeRoute, type Route } from './route.ts';
import type { Solution } from './solution.ts';

/** Most stops in the routes re-packed together (subsets are bit masks). */
const MAX_UNION = 30;
/**
 * Most free room in the routes re-packed together, in vehicles. With room to spare the loads that
 * fit are many and the search costly, and single-stop moves already regroup such routes.
 */
const MAX_SLACK = 0.05;
/** Most stops one vehicle may get here (its order is found exactly, 2^m m^2 work). */
const MAX_ROUTE = 8;
/** Most candidate loads enumerated; beyond it the move declines. */
const MAX_SUBSETS = 2000;

/**
 * Exact re-packing of a few routes of one vehicle type (weights only, no time
 * limits): every way of sharing their stops among as many vehicles that keeps
 * each within capacity is considered, each vehicle's order found exactly (a
 * dynamic programme over visiting orders), and the shortest plan is installed
 * when it beats the routes as they are. On fleets without slack the loads that
 * fit are few (for three full routes of six parcels, a hundred or so of the
 * quarter million subsets), so the whole set is cheap to search; single-stop
 * moves cannot reach these plans because every vehicle must stay exactly full.
 * Returns false, leaving s alone, when nothing shorter exists or the routes are
 * out of scope (mixed types, time limits, volume, too many stops or too much
 * slack to enumerate).
 */
export function repackExactly(s: Solution, routeIndices: readonly number[]): boolean {
  const inst = s.inst;
  if (inst.hasTime || inst.hasVolume || routeIndices.length < 2) return false;
  const first = s.routes[routeIndices[0] as number] as Route;
  const vt = inst.vehicleTypes[first.type] as VehicleType;
  const items: number[] = [];
  let current = 0;
  for (const ri of routeIndices) {
    const r = s.routes[ri] as Route;
    if (r.type !== first.type) return false;
    current += r.distance;
    for (const u of r.nodes) items.push(u);
  }
  if (items.length > MAX_UNION) return false;
  const m = routeIndices.length;
  const Q = vt.capacity;
  let total = 0;
  for (const u of items) total += inst.demand[u] as number;
  if (m * Q - total > MAX_SLACK * Q) return false;
  const memo = memoFor(inst);
  // The same routes come up again and again in a descent: remember those already known to be the best split.
  const key = `${first.type}:${routeIndices.map((ri) => (s.routes[ri] as Route).nodes.join(',')).sort().join('|')}`;
  if (memo.settled.has(key)) return false;
  const subsets = loadsThatFit(inst, items, Q, total - (m - 1) * Q);
  const best = subsets && new PartitionSearch(inst, vt, first.type, items, subsets, Q, memo.tours);
  const split = best && best.best((1 << items.length) - 1, m, current - 1e-9 * Math.max(1, current));
  if (!best || !split) {
    // Already the best split, or too much slack to enumerate: either way, not worth asking again.
    if (memo.settled.size >= MEMO_LIMIT) memo.settled.clear();
    memo.settled.add(key);
    return false;
  }
  routeIndices.forEach((ri, i) => {
    const mask = split[i] as number;
    s.placeRoute(ri, makeRoute(inst, first.type, best.order(mask)));
  });
  return true;
}

/** Most entries per memo table before it is emptied (memory stays bounded on long runs). */
const MEMO_LIMIT = 200_000;

interface Memo {
  /** Shortest tour length per vehicle type and set of stops. */
  tours: Map<string, number>;
  /** Groups of routes that no re-packing shortens. */
  settled: Set<string>;
}

// Keyed by the distance matrix: the search works on several views of one instance
// (a smaller fleet limit is a new object over the same arrays).
const memos = new WeakMap<Float64Array, Memo>();

function memoFor(inst: Instance): Memo {
  let m = memos.get(inst.dist);
  if (!m) memos.set(inst.dist, (m = { tours: new Map(), settled: new Set() }));
  return m;
}

/** Routes whose stops are among the nearest neighbours of a route's stops, most shared first. */
function nearbyRoutes(s: Solution, nb: Neighbours, ri: number, most: number): number[] {
  const count = new Map<number, number>();
  const k = Math.min(nb.k, NEAR);
  for (const u of (s.routes[ri] as Route).nodes) {
    for (let j = 0; j < k; j++) {
      const rj = s.routeOf[nb.list[u * nb.k + j] as number] as number;
      if (rj >= 0 && rj !== ri) count.set(rj, (count.get(rj) ?? 0) + 1);
    }
  }
  return [...count.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, most)
    .map((e) => e[0]);
}

/** Neighbours per stop that make two routes "nearby" for the descent. */
const NEAR = 10;
/** Nearby routes tried with each route (pairs with each, triples among them). */
const PARTNERS = 5;

/**
 * Exact re-packing as a descent: each route with each of
 * its nearby routes, then with each pair of them, re-packed exactly
 * (`repackExactly`) while that shortens the plan, up to `maxTries` attempts
 * or until `stop` says the time is up.
 * Returns the number of improvements made.
 */
export function exactDescent(s: Solution, nb: Neighbours, maxTries: number, stop: () => boolean = () => false): number {
  if (s.inst.hasTime || s.inst.hasVolume || s.routes.length < 2) return 0;
  let tries = 0;
  let wins = 0;
  const queue = s.routes.map((_, ri) => ri);
  const queued = new Set(queue);
  while (queue.length > 0 && tries < maxTries) {
    const ri = queue.shift() as number;
    queued.delete(ri);
    if (ri >= s.routes.length) continue;
    const near = nearbyRoutes(s, nb, ri, PARTNERS);
    const groups: number[][] = near.map((a) => [ri, a]);
    for (let a = 0; a < near.length; a++) for (let b = a + 1; b < near.length; b++) groups.push([ri, near[a] as number, near[b] as number]);
    for (const g of groups) {
      if (tries++ >= maxTries || stop()) return wins;
      if (!repackExactly(s, g)) continue;
      wins++;
      // The changed routes may now improve with other neighbours.
      for (const x of g) if (!queued.has(x)) {
        queued.add(x);
        queue.push(x);
      }
      break;
    }
  }
  return wins;
}

/** Non-empty subsets (bit masks over items) of at most MAX_ROUTE stops with load in [lo, Q]; null past MAX_SUBSETS. */
function loadsThatFit(inst: Instance, items: readonly number[], Q: number, lo: number): number[] | null {
  const out: number[] = [];
  const demand = items.map((u) => inst.demand[u] as number);
  const count = items.length;
  // Loads still reachable from position i on: prunes subsets that cannot reach lo.
  const rest = new Float64Array(count + 1);
  for (let i = count - 1; i >= 0; i--) rest[i] = (rest[i + 1] as number) + (demand[i] as number);
  // With whole demands and a small capacity, which extra loads items i.. can add exactly
  // (reach[i * W + w]): the walk then only enters branches that end in a load that fits,
  // instead of every subset under the capacity.
  const W = Q + 1;
  const exact = Number.isInteger(Q) && count * W <= REACH_CELLS && demand.every((q) => Number.isInteger(q) && q >= 0);
  const reach = exact ? new Uint8Array((count + 1) * W) : null;
  // upTo[i * W + w]: how many loads of 0..w items i.. can add (so a range is checked in O(1)).
  const upTo = exact ? new Int32Array((count + 1) * W) : null;
  if (reach && upTo) {
    reach[count * W] = 1;
    for (let i = count - 1; i >= 0; i--) {
      const q = demand[i] as number;
      for (let w = 0; w <= Q; w++) reach[i * W + w] = (reach[(i + 1) * W + w] as number) | (w >= q ? (reach[(i + 1) * W + w - q] as number) : 0);
    }
    for (let i = 0; i <= count; i++) {
      let c = 0;
      for (let w = 0; w <= Q; w++) upTo[i * W + w] = c += reach[i * W + w] as number;
    }
  }
  const from = Math.max(0, Math.ceil(lo - 1e-9));
  const canEnd = (i: number, load: number): boolean => {
    if (!upTo) return true;
    const a = Math.max(from, load) - load;
    const b = Q - load;
    return b >= a && (upTo[i * W + b] as number) - (a > 0 ? (upTo[i * W + a - 1] as number) : 0) > 0;
  };
  let overflow = false;
  const walk = (i: number, mask: number, load: number, size: number): void => {
    if (overflow) return;
    if (load + (rest[i] as number) < lo - 1e-9 || !canEnd(i, load)) return;
    if (i === count) {
      if (mask !== 0) {
        out.push(mask);
        if (out.length > MAX_SUBSETS) overflow = true;
      }
      return;
    }
    walk(i + 1, mask, load, size);
    const q = demand[i] as number;
    if (size < MAX_ROUTE && load + q <= Q + 1e-9) walk(i + 1, mask | (1 << i), load + q, size + 1);
  };
  walk(0, 0, 0, 0);
  return overflow ? null : out;
}

/** Largest reachability table (items x capacity) for the subset walk. */
const REACH_CELLS = 1_000_000;

/** Branch and bound over ways to cover a mask with `routes` subsets, shortest first. */
class PartitionSearch {
  private readonly cost = new Map<number, number>();
  private readonly byLowest: number[][];
  private readonly fits: Set<number>;

  constructor(
    private readonly inst: Instance,
    private readonly vt: VehicleType,
    private readonly type: number,
    private readonly items: readonly number[],
    subsets: readonly number[],
    private readonly Q: number,
    private readonly tours: Map<string, number>,
  ) {
    this.byLowest = Array.from({ length: items.length }, () => []);
    for (const x of subsets) (this.byLowest[31 - Math.clz32(x & -x)] as number[]).push(x);
    this.fits = new Set(subsets);
  }

  /** Masks of the shortest cover of `mask` by `routes` fitting subsets, cheaper than `limit`; null if none. */
  best(mask: number, routes: number, limit: number): number[] | null {
    let bestCost = limit;
    let bestPick: number[] | null = null;
    const pick: number[] = [];
    const go = (left: number, r: number, acc: number): void => {
      if (r === 1) {
        if (!this.fits.has(left)) return;
        const c = acc + this.tour(left);
        if (c < bestCost) {
          bestCost = c;
          bestPick = [...pick, left];
        }
        return;
      }
      // The route holding the lowest stop left: each cover is met once.
      const low = 31 - Math.clz32(left & -left);
      for (const x of this.byLowest[low] as number[]) {
        if ((x & left) !== x || x === left) continue;
        if (!this.restFits(left & ~x, r - 1)) continue;
        const c = acc + this.tour(x);
        if (c >= bestCost) continue;
        pick.push(x);
        go(left & ~x, r - 1, c);
        pick.pop();
      }
    };
    go(mask, routes, 0);
    return bestPick;
  }

  private restFits(mask: number, routes: number): boolean {
    let load = 0;
    for (let i = 0; i < this.items.length; i++) if (mask & (1 << i)) load += this.inst.demand[this.items[i] as number] as number;
    return load <= routes * this.Q + 1e-9;
  }

  /** Shortest tour length from the start depot through the subset to the end depot (memoised). */
  tour(mask: number): number {
    const hit = this.cost.get(mask);
    if (hit !== undefined) return hit;
    const members = this.members(mask).sort((a, b) => a - b);
    const key = `${this.type}:${members.join(',')}`;
    let c = this.tours.get(key);
    if (c === undefined) {
      c = shortestOrder(this.inst, this.vt, members).length;
      if (this.tours.size >= MEMO_LIMIT) this.tours.clear();
      this.tours.set(key, c);
    }
    this.cost.set(mask, c);
    return c;
  }

  order(mask: number): number[] {
    return shortestOrder(this.inst, this.vt, this.members(mask)).nodes;
  }

  private members(mask: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.items.length; i++) if (mask & (1 << i)) out.push(this.items[i] as number);
    return out;
  }
}

// Work tables of the dynamic programme, shared (the search is single-threaded): allocating them per
// subset was most of the cost.
const DP = new Float64Array((1 << MAX_ROUTE) * MAX_ROUTE);
const FROM = new Int8Array((1 << MAX_ROUTE) * MAX_ROUTE);
const LEG = new Float64Array((MAX_ROUTE + 2) * (MAX_ROUTE + 2));

/**
 * Exact shortest order of a few stops between the vehicle's depots (Held and
 * Karp's dynamic programme over subsets: 2^m m^2 steps, m up to MAX_ROUTE).
 */
export function shortestOrder(inst: Instance, vt: VehicleType, stops: readonly number[]): { length: number; nodes: number[] } {
  const m = stops.length;
  if (m === 0) return { length: 0, nodes: [] };
  if (m > MAX_ROUTE) throw new Error(`shortestOrder: ${m} stops, at most ${MAX_ROUTE}`);
  const n = inst.nodeCount;
  const d = inst.dist;
  // Legs among the stops (rows and columns 0..m-1), from the start depot (m) and to the end depot (m + 1).
  const w = m + 2;
  for (let a = 0; a < m; a++) {
    const ua = stops[a] as number;
    for (let b = 0; b < m; b++) LEG[a * w + b] = d[ua * n + (stops[b] as number)] as number;
    LEG[m * w + a] = d[vt.startNode * n + ua] as number;
    LEG[a * w + m + 1] = d[ua * n + vt.endNode] as number;
  }
  const full = (1 << m) - 1;
  DP.fill(Infinity, 0, (full + 1) * m);
  for (let j = 0; j < m; j++) {
    DP[(1 << j) * m + j] = LEG[m * w + j] as number;
    FROM[(1 << j) * m + j] = -1;
  }
  for (let mask = 1; mask <= full; mask++) {
    for (let j = 0; j < m; j++) {
      const here = DP[mask * m + j] as number;
      if (here === Infinity) continue;
      for (let k = 0; k < m; k++) {
        if (mask & (1 << k)) continue;
        const at = (mask | (1 << k)) * m + k;
        const c = here + (LEG[j * w + k] as number);
        if (c < (DP[at] as number)) {
          DP[at] = c;
          FROM[at] = j;
        }
      }
    }
  }
  let length = Infinity;
  let last = -1;
  for (let j = 0; j < m; j++) {
    const c = (DP[full * m + j] as number) + (LEG[j * w + m + 1] as number);
    if (c < length) {
      length = c;
      last = j;
    }
  }
  const nodes: number[] = [];
  for (let mask = full, j = last; j >= 0; ) {
    nodes.push(stops[j] as number);
    const p = FROM[mask * m + j] as number;
    mask &= ~(1 << j);
    j = p;
  }
  nodes.reverse();
  return { length, nodes };
}
