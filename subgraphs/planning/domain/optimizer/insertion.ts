import type { Instance, VehicleType } from './instance.ts';
import type { Neighbours } from './neighbours.ts';
import { excessOf } from './penalty.ts';
import type { Rng } from './rng.ts';
import { singletonCost, TIME_EPS, type Route } from './route.ts';
import { routeSegments, SegmentJoin, type Segment } from './time-warp.ts';
import type { Solution } from './solution.ts';

/** Where to put a stop: route index and position, or a new route of `type`. */
export interface InsertionMove {
  delta: number;
  route: number;
  pos: number;
  /** Vehicle type for a new route when route = -1. */
  type: number;
}

export function fitsCapacity(inst: Instance, r: Route, u: number): boolean {
  const vt = inst.vehicleTypes[r.type] as VehicleType;
  return r.load + (inst.demand[u] as number) <= vt.capacity + 1e-9 && r.volume + (inst.volume[u] as number) <= vt.volumeCapacity + 1e-9;
}

/**
 * Best position of u inside one route (Infinity when none is feasible).
 * `penalty` is the cost per vehicle of capacity excess: Infinity (the
 * default) forbids overloading; a finite rate lets the search pass through
 * overloaded plans at that price (time windows stay hard either way).
 */
export function bestInRoute(inst: Instance, r: Route, u: number, rng: Rng | null, blink: number, penalty = Infinity, warpPenalty = Infinity): { delta: number; pos: number } {
  if (warpPenalty !== Infinity && inst.hasTime) return bestWarpedInRoute(inst, r, u, rng, blink, penalty, warpPenalty);
  let best = Infinity;
  let pos = -1;
  let extra = 0;
  if (!fitsCapacity(inst, r, u)) {
    if (penalty === Infinity) return { delta: best, pos };
    const vt = inst.vehicleTypes[r.type] as VehicleType;
    extra = penalty * (excessOf(vt, r.load + (inst.demand[u] as number), r.volume + (inst.volume[u] as number)) - excessOf(vt, r.load, r.volume));
  }
  // Hand-inlined insertionDelta: this loop is the hottest in the repair.
  const vt = inst.vehicleTypes[r.type] as VehicleType;
  const n = inst.nodeCount;
  const dist = inst.dist;
  const time = inst.time;
  const nodes = r.nodes;
  const m = nodes.length;
  const hasTime = inst.hasTime;
  const readyU = inst.ready[u] as number;
  const dueU = inst.due[u] as number;
  const serviceU = inst.service[u] as number;
  let a = vt.startNode;
  let depart = vt.shiftStart;
  for (let p = 0; p <= m; p++) {
    const b = p === m ? vt.endNode : (nodes[p] as number);
    // SISR "blinks": randomly skipping positions diversifies greedy repair.
    if (!(rng && blink > 0 && rng.next() < blink)) {
      const delta = (dist[a * n + u] as number) + (dist[u * n + b] as number) - (dist[a * n + b] as number);
      if (delta < best) {
        let ok = true;
        if (hasTime) {
          let t = depart + (time[a * n + u] as number);
          if (t < readyU) t = readyU;
          if (t > dueU + TIME_EPS) ok = false;
          else {
            t += serviceU + (time[u * n + b] as number);
            if (t > (p === m ? vt.shiftEnd : (r.latest[p] as number)) + TIME_EPS) ok = false;
          }
        }
        if (ok) {
          best = delta;
          pos = p;
        }
      }
    }
    if (p < m) {
      depart = (r.start[p] as number) + (inst.service[b] as number);
      a = b;
    }
  }
  return { delta: best + extra, pos };
}

/**
 * bestInRoute with time windows priced too: a late arrival costs
 * `warpPenalty` per unit of time warp (time-warp.ts) instead of ruling the
 * position out. O(1) per position from the route's prefix and suffix segments.
 */
function bestWarpedInRoute(inst: Instance, r: Route, u: number, rng: Rng | null, blink: number, penalty: number, warpPenalty: number): { delta: number; pos: number } {
  const vt = inst.vehicleTypes[r.type] as VehicleType;
  let extra = 0;
  if (!fitsCapacity(inst, r, u)) {
    if (penalty === Infinity) return { delta: Infinity, pos: -1 };
    extra = penalty * (excessOf(vt, r.load + (inst.demand[u] as number), r.volume + (inst.volume[u] as number)) - excessOf(vt, r.load, r.volume));
  }
  const seg = routeSegments(inst, r);
  const m = r.nodes.length;
  const warpBefore = seg.timeWarp;
  const whole = new SegmentJoin(inst);
  let best = Infinity;
  let pos = -1;
  for (let p = 0; p <= m; p++) {
    if (rng && blink > 0 && rng.next() < blink) continue;
    whole.set(seg.forward[p] as Segment).thenNode(u).then(seg.backward[p] as Segment);
    const delta = whole.distance - r.distance + warpPenalty * (whole.timeWarp - warpBefore);
    if (delta < best) {
      best = delta;
      pos = p;
    }
  }
  return { delta: best + extra, pos };
}

/** Cheapest new route for u among vehicle types still available. */
export function bestNewRoute(s: Solution, u: number): { delta: number; type: number } {
  let best = Infinity;
  let type = -1;
  const types = s.inst.vehicleTypes;
  for (let t = 0; t < types.length; t++) {
    if (!s.canOpen(t)) continue;
    const c = singletonCost(s.inst, types[t] as VehicleType, u);
    if (c < best) {
      best = c;
      type = t;
    }
  }
  return { delta: best, type };
}

/**
 * Scratch marks for de-duplicating candidate routes without allocating per
 * call. Module-level is safe: solving is synchronous and never re-entrant.
 */
const stampBuf = { stamp: 0, marks: new Int32Array(0) };

/**
 * Best insertion for u. On large solutions only routes holding one of u's
 * granular neighbours are scanned first; all routes are scanned as fallback.
 */
export function bestInsertion(s: Solution, u: number, nb: Neighbours, rng: Rng | null, blink: number, penalty = Infinity, warpPenalty = Infinity): InsertionMove {
  const inst = s.inst;
  const move: InsertionMove = { delta: Infinity, route: -1, pos: -1, type: -1 };
  const R = s.routes.length;
  if (R <= 24) {
    for (let ri = 0; ri < R; ri++) considerRoute(s, ri, u, rng, blink, move, penalty, warpPenalty);
  } else {
    if (stampBuf.marks.length < inst.nodeCount) stampBuf.marks = new Int32Array(inst.nodeCount);
    const stamp = ++stampBuf.stamp;
    const marks = stampBuf.marks;
    const k = nb.k;
    for (let j = 0; j < k; j++) {
      const v = nb.list[u * k + j] as number;
      const ri = s.routeOf[v] as number;
      if (ri < 0 || marks[ri] === stamp) continue;
      marks[ri] = stamp;
      considerRoute(s, ri, u, rng, blink, move, penalty, warpPenalty);
    }
    // Nothing nearby fits: look everywhere before opening a vehicle.
    if (move.route < 0) for (let ri = 0; ri < R; ri++) considerRoute(s, ri, u, rng, blink, move, penalty, warpPenalty);
  }
  const fresh = bestNewRoute(s, u);
  if (fresh.delta < move.delta) {
    move.delta = fresh.delta;
    move.route = -1;
    move.pos = 0;
    move.type = fresh.type;
  }
  return move;
}

function considerRoute(s: Solution, ri: number, u: number, rng: Rng | null, blink: number, move: InsertionMove, penalty: number, warpPenalty: number): void {
  const b = bestInRoute(s.inst, s.routes[ri] as Route, u, rng, blink, penalty, warpPenalty);
  if (b.delta < move.delta) {
    move.delta = b.delta;
    move.route = ri;
    move.pos = b.pos;
  }
}

export function applyInsertion(s: Solution, u: number, m: InsertionMove): void {
  if (m.route >= 0) s.insert(u, m.route, m.pos);
  else s.openRoute(u, m.type);
}

export type InsertionOrder = 'random' | 'demand' | 'far' | 'close';

/**
 * Greedy repair: stops in the given order, each at its cheapest feasible
 * place (overloading at `penalty` per vehicle of excess when finite).
 * Stops with no feasible place stay unassigned.
 */
export function greedyRepair(s: Solution, nb: Neighbours, rng: Rng, order: InsertionOrder, blink: number, penalty = Infinity, warpPenalty = Infinity): void {
  const inst = s.inst;
  const pending = s.unassigned.slice();
  const base = (inst.vehicleTypes[0] as VehicleType).startNode * inst.nodeCount;
  const depotDist = (u: number): number => inst.dist[base + u] as number;
  if (order === 'random') {
    for (let i = pending.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = pending[i] as number;
      pending[i] = pending[j] as number;
      pending[j] = t;
    }
  } else if (order === 'demand') pending.sort((a, b) => (inst.demand[b] as number) - (inst.demand[a] as number) || a - b);
  else if (order === 'far') pending.sort((a, b) => depotDist(b) - depotDist(a) || a - b);
  else pending.sort((a, b) => depotDist(a) - depotDist(b) || a - b);
  for (const u of pending) {
    const m = bestInsertion(s, u, nb, rng, blink, penalty, warpPenalty);
    if (Number.isFinite(m.delta)) applyInsertion(s, u, m);
  }
}

/**
 * Regret-2 repair: repeatedly inserts the stop whose best and second-best
 * routes differ most, so stops with few good options go first. Best
 * positions per (stop, route) are cached; only the changed route is redone.
 */
export function regretRepair(s: Solution, rng: Rng, penalty = Infinity, warpPenalty = Infinity): void {
  const inst = s.inst;
  const pending = s.unassigned.slice();
  const cost: Float64Array[] = [];
  const pos: Int32Array[] = [];
  let cap = Math.max(8, s.routes.length * 2 + 4);
  const fill = (i: number, ri: number): void => {
    const b = bestInRoute(inst, s.routes[ri] as Route, pending[i] as number, null, 0, penalty, warpPenalty);
    (cost[i] as Float64Array)[ri] = b.delta;
    (pos[i] as Int32Array)[ri] = b.pos;
  };
  for (let i = 0; i < pending.length; i++) {
    cost.push(new Float64Array(cap));
    pos.push(new Int32Array(cap));
    for (let ri = 0; ri < s.routes.length; ri++) fill(i, ri);
  }
  while (pending.length > 0) {
    let pick = -1;
    let pickRegret = -Infinity;
    let pickBest = Infinity;
    let pickRoute = -1;
    let pickType = -1;
    for (let i = 0; i < pending.length; i++) {
      const u = pending[i] as number;
      const c = cost[i] as Float64Array;
      let b1 = Infinity;
      let b2 = Infinity;
      let r1 = -1;
      for (let ri = 0; ri < s.routes.length; ri++) {
        const v = c[ri] as number;
        if (v < b1) {
          b2 = b1;
          b1 = v;
          r1 = ri;
        } else if (v < b2) b2 = v;
      }
      const fresh = bestNewRoute(s, u);
      let t1 = -1;
      if (fresh.delta < b1) {
        b2 = b1;
        b1 = fresh.delta;
        r1 = -1;
        t1 = fresh.type;
      } else if (fresh.delta < b2) b2 = fresh.delta;
      if (!Number.isFinite(b1)) continue;
      // Tiny random tie-break keeps repairs from always taking the same path.
      const regret = (Number.isFinite(b2) ? b2 - b1 : 1e15) + rng.next() * 1e-9;
      if (regret > pickRegret || (regret === pickRegret && b1 < pickBest)) {
        pick = i;
        pickRegret = regret;
        pickBest = b1;
        pickRoute = r1;
        pickType = t1;
      }
    }
    if (pick < 0) break;
    const u = pending[pick] as number;
    let changed: number;
    if (pickRoute >= 0) {
      s.insert(u, pickRoute, (pos[pick] as Int32Array)[pickRoute] as number);
      changed = pickRoute;
    } else {
      s.openRoute(u, pickType);
      changed = s.routes.length - 1;
    }
    const last = pending.length - 1;
    pending[pick] = pending[last] as number;
    cost[pick] = cost[last] as Float64Array;
    pos[pick] = pos[last] as Int32Array;
    pending.pop();
    cost.pop();
    pos.pop();
    if (changed >= cap) {
      cap *= 2;
      for (let i = 0; i < pending.length; i++) {
        const nc = new Float64Array(cap);
        nc.set(cost[i] as Float64Array);
        cost[i] = nc;
        const np = new Int32Array(cap);
        np.set(pos[i] as Int32Array);
        pos[i] = np;
      }
    }
    for (let i = 0; i < pending.length; i++) fill(i, changed);
  }
}
