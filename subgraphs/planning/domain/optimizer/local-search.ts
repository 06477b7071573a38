import type { Instance, VehicleType } from './instance.ts';
import type { Neighbours } from './neighbours.ts';
import { excessOf as excessOfImported } from './penalty.ts';
import type { Rng } from './rng.ts';
import {
  chainFeasible,
  departBefore,
  insertionDelta,
  latestAt,
  makeRoute,
  nodeAt,
  nodeBefore,
  singletonCost,
  type Route,
} from './route.ts';
import type { Solution } from './solution.ts';

// Local alias: read once, not through the module binding's accessor in hot loops.
const excessOf = excessOfImported;

/** A move must save more than this to count (guards against float cycling). */
const EPS = 1e-7;

/**
 * Granular local search: for each stop u and each of its neighbours v, try
 * relocate, swap, 2-opt*, intra-route 2-opt and or-opt moves that bring u
 * next to v, applying the first improving feasible one. Distance deltas are
 * O(1); feasibility is O(1) from route slack where possible and otherwise
 * checked only for improving candidates.
 */
export class LocalSearch {
  private readonly inst: Instance;
  private readonly nb: Neighbours;
  private readonly n: number;
  private readonly d: Float64Array;
  private s!: Solution;
  private readonly inQueue: Uint8Array;
  private queue: number[] = [];
  /** Routes (by index) changed by the last applied move. */
  private touched: number[] = [];
  moves = 0;
  /**
   * Cost per vehicle of capacity excess. Infinity (default): moves must keep
   * every capacity. Finite: overloads are allowed at that price, which lets
   * the search cross infeasible plans towards tight packings.
   */
  penalty = Infinity;

  constructor(inst: Instance, nb: Neighbours) {
    this.inst = inst;
    this.nb = nb;
    this.n = inst.nodeCount;
    this.d = inst.dist;
    this.inQueue = new Uint8Array(inst.nodeCount);
  }

  /**
   * Improves s in place until no move helps or `stop()` says so. `seeds`
   * limits the starting work list (e.g. stops in routes a repair touched).
   */
  run(s: Solution, rng: Rng, seeds: readonly number[] | null, stop: () => boolean): void {
    this.s = s;
    this.queue.length = 0;
    this.inQueue.fill(0);
    const start = seeds ?? s.routes.flatMap((r) => r.nodes);
    for (const u of start) this.enqueue(u);
    // Random order so that repeated calls do not always favour low ids.
    const q = this.queue;
    for (let i = q.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = q[i] as number;
      q[i] = q[j] as number;
      q[j] = t;
    }
    let steps = 0;
    while (q.length > 0) {
      if ((++steps & 63) === 0 && stop()) return;
      const u = q.pop() as number;
      this.inQueue[u] = 0;
      if ((s.routeOf[u] as number) < 0) continue;
      if (this.improveAround(u)) {
        this.moves++;
        this.enqueue(u);
        for (const ri of this.touched) {
          const r = s.routes[ri];
          if (r) for (const x of r.nodes) this.enqueue(x);
        }
      }
    }
  }

  private enqueue(u: number): void {
    if (this.inQueue[u]) return;
    this.inQueue[u] = 1;
    this.queue.push(u);
  }

  private dd(a: number, b: number): number {
    return this.d[a * this.n + b] as number;
  }

  /**
   * Price of routes A and B taking new loads: 0 or Infinity (a capacity
   * broken) when the penalty is infinite, else the change in penalised excess.
   */
  private loadCost(A: Route, loadA: number, volA: number, B: Route, loadB: number, volB: number): number {
    const ta = this.inst.vehicleTypes[A.type] as VehicleType;
    const tb = this.inst.vehicleTypes[B.type] as VehicleType;
    if (this.penalty === Infinity) {
      return loadA > ta.capacity + 1e-9 || loadB > tb.capacity + 1e-9 || volA > ta.volumeCapacity + 1e-9 || volB > tb.volumeCapacity + 1e-9 ? Infinity : 0;
    }
    return this.penalty * (excessOf(ta, loadA, volA) + excessOf(tb, loadB, volB) - A.excess - B.excess);
  }

  /** Most penalty a move between A and B can save (0 when both fit or overloads are forbidden). */
  private relief(A: Route, B: Route): number {
    return this.penalty === Infinity ? 0 : this.penalty * (A === B ? A.excess : A.excess + B.excess);
  }

  /** Penalty saved by taking positions [p, p+len) out of route A (0 without penalties or excess). */
  private unloadGain(A: Route, p: number, len: number): number {
    if (this.penalty === Infinity) return 0;
    const before = A.excess;
    if (before === 0) return 0;
    const segLoad = (A.cumLoad[p + len - 1] as number) - (p > 0 ? (A.cumLoad[p - 1] as number) : 0);
    const segVol = (A.cumVol[p + len - 1] as number) - (p > 0 ? (A.cumVol[p - 1] as number) : 0);
    return this.penalty * (before - excessOf(this.inst.vehicleTypes[A.type] as VehicleType, A.load - segLoad, A.volume - segVol));
  }

  private improveAround(u: number): boolean {
    const s = this.s;
    const inst = this.inst;
    const k = this.nb.k;
    const list = this.nb.list;
    // Per-u quantities hoisted out of the neighbour loop: the cheap distance
    // pre-checks below skip most calls (each recomputes the same delta).
    const A = s.routes[s.routeOf[u] as number] as Route;
    const p = s.posOf[u] as number;
    const mA = A.nodes.length;
    // With capacity penalties, unloading an overloaded route also pays: the
    // pre-checks count that saving so they never skip an improving move.
    const gain1 = this.removalGain(A, p, 1) + this.unloadGain(A, p, 1);
    const gain2 = p + 2 <= mA ? this.removalGain(A, p, 2) + this.unloadGain(A, p, 2) : Infinity;
    const gain3 = p + 3 <= mA ? this.removalGain(A, p, 3) + this.unloadGain(A, p, 3) : Infinity;
    const last2 = p + 2 <= mA ? (A.nodes[p + 1] as number) : -1;
    const last3 = p + 3 <= mA ? (A.nodes[p + 2] as number) : -1;
    const exact = !inst.symmetric;
    for (let j = 0; j < k; j++) {
      const v = list[u * k + j] as number;
      const rv = s.routeOf[v] as number;
      if (rv < 0) continue;
      const B = s.routes[rv] as Route;
      const q = s.posOf[v] as number;
      const vNext = nodeAt(inst, B, q + 1);
      const vPrev = nodeBefore(inst, B, q);
      const dvn = this.dd(v, vNext);
      const dpv = this.dd(vPrev, v);
      if (this.dd(v, u) + this.dd(u, vNext) - dvn - gain1 < -EPS && this.relocate(u, rv, q + 1)) return true;
      if (this.dd(vPrev, u) + this.dd(u, v) - dpv - gain1 < -EPS && this.relocate(u, rv, q)) return true;
      if (this.swap(u, v)) return true;
      if (s.routeOf[u] !== rv) {
        if (this.twoOptStar(u, v)) return true;
        if (this.twoOptStar(v, u)) return true;
      } else if (this.twoOptIntra(u, v)) return true;
      if (last2 >= 0) {
        if (this.dd(v, u) + this.dd(last2, vNext) - dvn - gain2 < -EPS && this.orOpt(u, 2, rv, q + 1, false)) return true;
        if ((exact || this.dd(vPrev, last2) + this.dd(u, v) - dpv - gain2 < -EPS) && this.orOpt(u, 2, rv, q, true)) return true;
      }
      if (last3 >= 0) {
        if (this.dd(v, u) + this.dd(last3, vNext) - dvn - gain3 < -EPS && this.orOpt(u, 3, rv, q + 1, false)) return true;
        if ((exact || this.dd(vPrev, last3) + this.dd(u, v) - dpv - gain3 < -EPS) && this.orOpt(u, 3, rv, q, true)) return true;
      }
    }
    return this.relocateToNewRoute(u);
  }

  /**
   * Removal gain of positions [p, p+len) of route A, not counting the
   * segment's own edges (they travel with it). Whole route: its distance
   * less those edges; counting them made moving a whole two- or three-stop
   * route look better than it is, and the search could cycle on it.
   */
  private removalGain(A: Route, p: number, len: number): number {
    if (len === A.nodes.length) return A.distance - ((A.cumDist[len - 1] as number) - (A.cumDist[0] as number));
    const a = nodeBefore(this.inst, A, p);
    const b = nodeAt(this.inst, A, p + len);
    const f = A.nodes[p] as number;
    const l = A.nodes[p + len - 1] as number;
    return this.dd(a, f) + this.dd(l, b) - this.dd(a, b);
  }

  /** Can positions [p, p+len) leave route A without breaking its timing? */
  private removalFeasible(A: Route, p: number, len: number): boolean {
    if (!this.inst.hasTime || len === A.nodes.length) return true;
    const a = nodeBefore(this.inst, A, p);
    const b = nodeAt(this.inst, A, p + len);
    return departBefore(this.inst, A, p) + (this.inst.time[a * this.n + b] as number) <= latestAt(this.inst, A, p + len) + 1e-7;
  }

  /** Move u to sit before position q of route rb. */
  private relocate(u: number, rb: number, q: number): boolean {
    const s = this.s;
    const ra = s.routeOf[u] as number;
    const p = s.posOf[u] as number;
    const A = s.routes[ra] as Route;
    const B = s.routes[rb] as Route;
    if (ra === rb && (q === p || q === p + 1)) return false;
    const c = nodeBefore(this.inst, B, q);
    const e = nodeAt(this.inst, B, q);
    const ins = this.dd(c, u) + this.dd(u, e) - this.dd(c, e);
    let delta = ins - this.removalGain(A, p, 1);
    if (delta - this.relief(A, B) >= -EPS) return false;
    if (ra !== rb) {
      const du = this.inst.demand[u] as number;
      const vu = this.inst.volume[u] as number;
      delta += this.loadCost(A, A.load - du, A.volume - vu, B, B.load + du, B.volume + vu);
    }
    if (delta >= -EPS) return false;
    if (ra !== rb) {
      if (!Number.isFinite(insertionDelta(this.inst, B, u, q))) return false;
      if (!this.removalFeasible(A, p, 1)) return false;
      const nb = B.nodes.slice();
      nb.splice(q, 0, u);
      const na = A.nodes.slice();
      na.splice(p, 1);
      return this.commit([rb, makeRoute(this.inst, B.type, nb)], [ra, na.length ? makeRoute(this.inst, A.type, na) : null]);
    }
    const nodes = A.nodes.slice();
    nodes.splice(p, 1);
    nodes.splice(q > p ? q - 1 : q, 0, u);
    return this.commitIfBetter([[ra, makeRoute(this.inst, A.type, nodes)]]);
  }

  private relocateToNewRoute(u: number): boolean {
    const s = this.s;
    const ra = s.routeOf[u] as number;
    const A = s.routes[ra] as Route;
    if (A.nodes.length === 1) return false;
    const p = s.posOf[u] as number;
    const gain = this.removalGain(A, p, 1) + this.unloadGain(A, p, 1);
    for (let t = 0; t < this.inst.vehicleTypes.length; t++) {
      if (!s.canOpen(t)) continue;
      const c = singletonCost(this.inst, this.inst.vehicleTypes[t] as VehicleType, u);
      if (c - gain < -EPS && this.removalFeasible(A, p, 1)) {
        const na = A.nodes.slice();
        na.splice(p, 1);
        s.setRoute(ra, na);
        s.addRoute(t, [u]);
        this.touched = [ra, s.routes.length - 1];
        return true;
      }
    }
    return false;
  }

  private swap(u: number, v: number): boolean {
    const s = this.s;
    const inst = this.inst;
    const ra = s.routeOf[u] as number;
    const rb = s.routeOf[v] as number;
    const p = s.posOf[u] as number;
    const q = s.posOf[v] as number;
    if (ra === rb && Math.abs(p - q) <= 1) return false;
    const A = s.routes[ra] as Route;
    const B = s.routes[rb] as Route;
    const a = nodeBefore(inst, A, p);
    const b = nodeAt(inst, A, p + 1);
    const c = nodeBefore(inst, B, q);
    const e = nodeAt(inst, B, q + 1);
    let delta =
      this.dd(a, v) + this.dd(v, b) - this.dd(a, u) - this.dd(u, b) + this.dd(c, u) + this.dd(u, e) - this.dd(c, v) - this.dd(v, e);
    if (delta - this.relief(A, B) >= -EPS) return false;
    if (ra !== rb) {
      const du = (inst.demand[u] as number) - (inst.demand[v] as number);
      const vu = (inst.volume[u] as number) - (inst.volume[v] as number);
      delta += this.loadCost(A, A.load - du, A.volume - vu, B, B.load + du, B.volume + vu);
    }
    if (delta >= -EPS) return false;
    if (ra !== rb) {
      if (inst.hasTime) {
        if (!chainFeasible(inst, a, departBefore(inst, A, p), [v], 0, 1, 1, b, latestAt(inst, A, p + 1))) return false;
        if (!chainFeasible(inst, c, departBefore(inst, B, q), [u], 0, 1, 1, e, latestAt(inst, B, q + 1))) return false;
      }
      const na = A.nodes.slice();
      na[p] = v;
      const nb = B.nodes.slice();
      nb[q] = u;
      return this.commit([ra, makeRoute(inst, A.type, na)], [rb, makeRoute(inst, B.type, nb)]);
    }
    const nodes = A.nodes.slice();
    nodes[p] = v;
    nodes[q] = u;
    return this.commitIfBetter([[ra, makeRoute(inst, A.type, nodes)]]);
  }

  /**
   * 2-opt* between two routes: x's route keeps its head up to x and takes
   * y's route from y on; y's route gets x's old tail.
   */
  private twoOptStar(x: number, y: number): boolean {
    const s = this.s;
    const inst = this.inst;
    const ra = s.routeOf[x] as number;
    const rb = s.routeOf[y] as number;
    const A = s.routes[ra] as Route;
    const B = s.routes[rb] as Route;
    const p = s.posOf[x] as number;
    const q = s.posOf[y] as number;
    const mA = A.nodes.length;
    const mB = B.nodes.length;
    const ta = inst.vehicleTypes[A.type] as VehicleType;
    const tb = inst.vehicleTypes[B.type] as VehicleType;
    const lastB = B.nodes[mB - 1] as number;
    const newA = (A.cumDist[p] as number) + this.dd(x, y) + (B.cumDist[mB - 1] as number) - (B.cumDist[q] as number) + this.dd(lastB, ta.endNode);
    let newB: number;
    const tailA = p + 1 < mA;
    if (!tailA && q === 0) newB = 0;
    else if (!tailA) newB = (B.cumDist[q - 1] as number) + this.dd(B.nodes[q - 1] as number, tb.endNode);
    else {
      const f = A.nodes[p + 1] as number;
      const head = q === 0 ? this.dd(tb.startNode, f) : (B.cumDist[q - 1] as number) + this.dd(B.nodes[q - 1] as number, f);
      newB = head + (A.cumDist[mA - 1] as number) - (A.cumDist[p + 1] as number) + this.dd(A.nodes[mA - 1] as number, tb.endNode);
    }
    if (newA + newB - A.distance - B.distance - this.relief(A, B) >= -EPS) return false;
    const headLoadB = q > 0 ? (B.cumLoad[q - 1] as number) : 0;
    const headVolB = q > 0 ? (B.cumVol[q - 1] as number) : 0;
    const delta =
      newA +
      newB -
      A.distance -
      B.distance +
      this.loadCost(
        A,
        (A.cumLoad[p] as number) + B.load - headLoadB,
        (A.cumVol[p] as number) + B.volume - headVolB,
        B,
        headLoadB + A.load - (A.cumLoad[p] as number),
        headVolB + A.volume - (A.cumVol[p] as number),
      );
    if (delta >= -EPS) return false;
    if (inst.hasTime) {
      const sameEnd = ta.endNode === tb.endNode && ta.shiftEnd === tb.shiftEnd;
      const departX = departBefore(inst, A, p + 1);
      if (sameEnd) {
        if (departX + (inst.time[x * this.n + y] as number) > (B.latest[q] as number) + 1e-7) return false;
      } else if (!chainFeasible(inst, x, departX, B.nodes, q, mB, 1, ta.endNode, ta.shiftEnd)) return false;
      const pv = nodeBefore(inst, B, q);
      const departPv = departBefore(inst, B, q);
      if (!tailA) {
        if (q > 0 && departPv + (inst.time[pv * this.n + tb.endNode] as number) > tb.shiftEnd + 1e-7) return false;
      } else if (sameEnd) {
        const f = A.nodes[p + 1] as number;
        if (departPv + (inst.time[pv * this.n + f] as number) > (A.latest[p + 1] as number) + 1e-7) return false;
      } else if (!chainFeasible(inst, pv, departPv, A.nodes, p + 1, mA, 1, tb.endNode, tb.shiftEnd)) return false;
    }
    const na = A.nodes.slice(0, p + 1).concat(B.nodes.slice(q));
    const nb = B.nodes.slice(0, q).concat(A.nodes.slice(p + 1));
    return this.commit([ra, makeRoute(inst, A.type, na)], [rb, nb.length ? makeRoute(inst, B.type, nb) : null]);
  }

  /** Reversal of a segment so that u and v become adjacent (same route). */
  private twoOptIntra(u: number, v: number): boolean {
    const s = this.s;
    const ri = s.routeOf[u] as number;
    const R = s.routes[ri] as Route;
    const pu = s.posOf[u] as number;
    const pv = s.posOf[v] as number;
    const lo = Math.min(pu, pv);
    const hi = Math.max(pu, pv);
    return this.reverse(ri, R, lo + 1, hi) || this.reverse(ri, R, lo, hi - 1);
  }

  private reverse(ri: number, R: Route, i: number, j: number): boolean {
    if (j - i < 1) return false;
    const inst = this.inst;
    const a = nodeBefore(inst, R, i);
    const b = nodeAt(inst, R, j + 1);
    const xi = R.nodes[i] as number;
    const xj = R.nodes[j] as number;
    let delta = this.dd(a, xj) + this.dd(xi, b) - this.dd(a, xi) - this.dd(xj, b);
    if (!inst.symmetric) delta += (R.cumRev[j] as number) - (R.cumRev[i] as number) - ((R.cumDist[j] as number) - (R.cumDist[i] as number));
    if (delta >= -EPS) return false;
    const nodes = R.nodes.slice();
    for (let l = i, r = j; l < r; l++, r--) {
      const t = nodes[l] as number;
      nodes[l] = nodes[r] as number;
      nodes[r] = t;
    }
    return this.commitIfBetter([[ri, makeRoute(inst, R.type, nodes)]]);
  }

  /** Move the segment of `len` stops starting at u before position q of route rb. */
  private orOpt(u: number, len: number, rb: number, q: number, reversed: boolean): boolean {
    const s = this.s;
    const inst = this.inst;
    const ra = s.routeOf[u] as number;
    const p = s.posOf[u] as number;
    const A = s.routes[ra] as Route;
    if (p + len > A.nodes.length) return false;
    const B = s.routes[rb] as Route;
    if (ra === rb && q >= p && q <= p + len) return false;
    const c = nodeBefore(inst, B, q);
    const e = nodeAt(inst, B, q);
    const f = u;
    const l = A.nodes[p + len - 1] as number;
    let ins = reversed ? this.dd(c, l) + this.dd(f, e) - this.dd(c, e) : this.dd(c, f) + this.dd(l, e) - this.dd(c, e);
    if (reversed && !inst.symmetric) {
      const fwd = (A.cumDist[p + len - 1] as number) - (A.cumDist[p] as number);
      const rev = (A.cumRev[p + len - 1] as number) - (A.cumRev[p] as number);
      ins += rev - fwd;
    }
    let delta = ins - this.removalGain(A, p, len);
    if (delta - this.relief(A, B) >= -EPS) return false;
    if (ra !== rb) {
      const segLoad = (A.cumLoad[p + len - 1] as number) - (p > 0 ? (A.cumLoad[p - 1] as number) : 0);
      const segVol = (A.cumVol[p + len - 1] as number) - (p > 0 ? (A.cumVol[p - 1] as number) : 0);
      delta += this.loadCost(A, A.load - segLoad, A.volume - segVol, B, B.load + segLoad, B.volume + segVol);
    }
    if (delta >= -EPS) return false;
    const seg = A.nodes.slice(p, p + len);
    if (reversed) seg.reverse();
    if (ra !== rb) {
      if (inst.hasTime) {
        if (!chainFeasible(inst, c, departBefore(inst, B, q), seg, 0, len, 1, e, latestAt(inst, B, q))) return false;
        if (!this.removalFeasible(A, p, len)) return false;
      }
      const nb = B.nodes.slice();
      nb.splice(q, 0, ...seg);
      const na = A.nodes.slice();
      na.splice(p, len);
      return this.commit([rb, makeRoute(inst, B.type, nb)], [ra, na.length ? makeRoute(inst, A.type, na) : null]);
    }
    const nodes = A.nodes.slice();
    nodes.splice(p, len);
    nodes.splice(q > p ? q - len : q, 0, ...seg);
    return this.commitIfBetter([[ra, makeRoute(inst, A.type, nodes)]]);
  }

  /** Installs two changed routes (the second may vanish). Feasibility was checked. */
  private commit(first: [number, Route], second: [number, Route | null]): boolean {
    const s = this.s;
    const [r1, route1] = first;
    const [r2, route2] = second;
    if (!route1.timeOk || (route2 && !route2.timeOk)) return false;
    s.placeRoute(r1, route1);
    if (route2) {
      s.placeRoute(r2, route2);
      this.touched = [r1, r2];
    } else {
      s.dropRoute(r2);
      this.touched = [r1, r2];
    }
    return true;
  }

  /** Installs routes when they are time-feasible and really shorter. */
  private commitIfBetter(changes: [number, Route][]): boolean {
    const s = this.s;
    let delta = 0;
    for (const [ri, r] of changes) {
      if (!r.timeOk) return false;
      delta += r.distance - (s.routes[ri] as Route).distance;
    }
    if (delta >= -EPS) return false;
    for (const [ri, r] of changes) s.placeRoute(ri, r);
    this.touched = changes.map(([ri]) => ri);
    return true;
  }
}
