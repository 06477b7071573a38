import type { VehicleType } from './instance.ts';
import { bestInRoute } from './insertion.ts';
import type { Neighbours } from './neighbours.ts';
import { shuffle, type Rng } from './rng.ts';
import { TIME_EPS, type Route } from './route.ts';
import type { Solution } from './solution.ts';
import { capacityWeight, setPair, squeeze, violation } from './squeeze.ts';
import { depotSegment, routeSegments, SegmentJoin, type Segment } from './time-warp.ts';

export interface EliminationContext {
  rng: Rng;
  nb: Neighbours;
  /** True once the time budget is spent. */
  stop: () => boolean;
  /** Most ejection-pool steps (one stop taken from the pool each). */
  maxSteps: number;
}

export interface EliminationOutcome {
  /** A feasible plan with one route fewer serving every stop, or null when none was found. */
  solution: Solution | null;
  steps: number;
}

/** Random feasible moves after each forced ejection, to leave the local trap it came from. */
const PERTURB_MOVES = 40;
/** Most stops ejected to make room for one. */
const MAX_EJECT = 2;

/**
 * Removes one route of a feasible plan that serves every stop and tries to
 * re-home its stops in the other routes (route minimisation in the manner of
 * Nagata and Bräysy's ejection-pool heuristic). The stops wait in an ejection
 * pool; one at a time, each is
 * 1. inserted where it fits (capacity, windows, shift), or else
 * 2. inserted where it breaks the fewest constraints (time warp plus
 *    overload, `time-warp.ts`) and the plan "squeezed": moves between routes
 *    that lower the violation until it is gone, or else
 * 3. inserted by force, ejecting at most two stops of that route, those that
 *    have been hard to place the least often (a counter per stop grows each
 *    time the stop cannot be placed), and the plan perturbed by random
 *    feasible moves.
 * Every plan between steps is feasible; only the pool is not yet served.
 * Gives up (returning null) after `maxSteps` steps or when time runs out: the
 * caller then keeps the route.
 */
export function eliminateRoute(start: Solution, ctx: EliminationContext): EliminationOutcome {
  const { rng, stop } = ctx;
  const s = start.clone();
  if (s.routes.length === 0 || s.unassigned.length > 0) return { solution: null, steps: 0 };
  const inst = s.inst;
  const victim = s.routes[rng.int(s.routes.length)] as Route;
  const pool = shuffle(victim.nodes.slice(), rng);
  s.remove(victim.nodes);
  const hardness = new Int32Array(inst.nodeCount).fill(1);
  const weight = capacityWeight(inst);
  let steps = 0;
  while (pool.length > 0) {
    if (steps >= ctx.maxSteps || stop()) return { solution: null, steps };
    steps++;
    const v = pool.pop() as number;
    if (insertFeasibly(s, v)) continue;
    if (squeezeIn(s, v, ctx.nb, weight)) continue;
    hardness[v] = (hardness[v] as number) + 1;
    const ejected = insertEjecting(s, v, hardness);
    if (ejected === null) {
      // Nowhere even by ejection (a stop no route can take with two fewer): try it again later.
      pool.unshift(v);
      continue;
    }
    for (const w of ejected) pool.push(w);
    perturb(s, ctx.nb, rng, PERTURB_MOVES);
  }
  return { solution: s, steps };
}

/** Cheapest feasible insertion of v into an existing route; false when none fits. */
function insertFeasibly(s: Solution, v: number): boolean {
  let best = Infinity;
  let route = -1;
  let pos = -1;
  for (let ri = 0; ri < s.routes.length; ri++) {
    const b = bestInRoute(s.inst, s.routes[ri] as Route, v, null, 0);
    if (b.delta < best) {
      best = b.delta;
      route = ri;
      pos = b.pos;
    }
  }
  if (route < 0) return false;
  s.insert(v, route, pos);
  return true;
}

const feasibleSeg = (vt: VehicleType, seg: Segment): boolean =>
  seg.timeWarp <= TIME_EPS && seg.load <= vt.capacity + 1e-9 && seg.volume <= vt.volumeCapacity + 1e-9;

/**
 * Inserts v where the violation grows least, then squeezes: improving moves
 * between routes on the violation until none is left. Keeps the change only
 * when it ends feasible.
 */
function squeezeIn(s: Solution, v: number, nb: Neighbours, weight: number): boolean {
  const inst = s.inst;
  let best = Infinity;
  let bestDist = Infinity;
  let route = -1;
  let pos = -1;
  const whole = new SegmentJoin(inst);
  for (let ri = 0; ri < s.routes.length; ri++) {
    const r = s.routes[ri] as Route;
    const vt = inst.vehicleTypes[r.type] as VehicleType;
    const seg = routeSegments(inst, r);
    for (let p = 0; p <= r.nodes.length; p++) {
      whole.set(seg.forward[p] as Segment).thenNode(v).then(seg.backward[p] as Segment);
      const x = violation(vt, whole, weight);
      if (x < best - 1e-9 || (x <= best + 1e-9 && whole.distance - r.distance < bestDist)) {
        best = x;
        bestDist = whole.distance - r.distance;
        route = ri;
        pos = p;
      }
    }
  }
  if (route < 0) return false;
  const t = s.clone();
  t.insert(v, route, pos);
  if (!squeeze(t, nb, weight)) return false;
  s.copyFrom(t);
  return true;
}

/**
 * Inserts v by force where the fewest, least often troublesome stops must
 * leave (at most MAX_EJECT, from the route v joins) for that route to be
 * feasible; returns the ejected stops, or null when no such insertion exists.
 */
function insertEjecting(s: Solution, v: number, hardness: Int32Array): number[] | null {
  const inst = s.inst;
  let bestScore = Infinity;
  let bestDist = Infinity;
  let bestRoute = -1;
  let bestPos = -1;
  let bestOut: number[] = [];
  // Prefix and suffix segments of the enlarged route, built in place (time-warp.ts, SegmentJoin):
  // this runs for every position of every route, and allocating them was most of its cost.
  const longest = s.routes.reduce((m, r) => Math.max(m, r.nodes.length), 0) + 1;
  const fwd = Array.from({ length: longest + 1 }, () => new SegmentJoin(inst));
  const bwd = Array.from({ length: longest + 1 }, () => new SegmentJoin(inst));
  const one = new SegmentJoin(inst);
  const inner = new SegmentJoin(inst);
  for (let ri = 0; ri < s.routes.length; ri++) {
    const r = s.routes[ri] as Route;
    const vt = inst.vehicleTypes[r.type] as VehicleType;
    const startDepot = depotSegment(inst, vt, vt.startNode);
    const endDepot = depotSegment(inst, vt, vt.endNode);
    const m = r.nodes.length + 1;
    for (let p = 0; p < m; p++) {
      // The route with v inserted before position p.
      const nodeAt = (k: number): number => (k < p ? (r.nodes[k] as number) : k === p ? v : (r.nodes[k - 1] as number));
      // Prefix (start depot + nodes[0..a)) and suffix (nodes[b..m) + end depot) segments of the enlarged route.
      (fwd[0] as SegmentJoin).set(startDepot);
      for (let a = 0; a < m; a++) (fwd[a + 1] as SegmentJoin).set(fwd[a] as SegmentJoin).thenNode(nodeAt(a));
      (bwd[m] as SegmentJoin).set(endDepot);
      for (let b = m - 1; b >= 0; b--) (bwd[b] as SegmentJoin).setNode(nodeAt(b)).then(bwd[b + 1] as SegmentJoin);
      for (let a = 0; a < m; a++) {
        // Warp before the first ejected stop cannot be undone by ejecting later ones.
        if ((fwd[a] as SegmentJoin).timeWarp > TIME_EPS) break;
        const x = nodeAt(a);
        if (x === v) continue;
        const hx = hardness[x] as number;
        if (hx > bestScore) continue;
        one.set(fwd[a] as SegmentJoin).then(bwd[a + 1] as SegmentJoin);
        if (feasibleSeg(vt, one)) {
          const d = one.distance - r.distance;
          if (hx < bestScore || d < bestDist) {
            bestScore = hx;
            bestDist = d;
            bestRoute = ri;
            bestPos = p;
            bestOut = [x];
          }
        }
        if (MAX_EJECT < 2) continue;
        let hasInner = false;
        for (let b = a + 1; b < m; b++) {
          const y = nodeAt(b);
          if (hasInner && inner.timeWarp > TIME_EPS) break;
          if (y !== v && hx + (hardness[y] as number) <= bestScore) {
            one.set(fwd[a] as SegmentJoin);
            if (hasInner) one.then(inner);
            one.then(bwd[b + 1] as SegmentJoin);
            if (feasibleSeg(vt, one)) {
              const score = hx + (hardness[y] as number);
              const d = one.distance - r.distance;
              if (score < bestScore || d < bestDist) {
                bestScore = score;
                bestDist = d;
                bestRoute = ri;
                bestPos = p;
                bestOut = [x, y];
              }
            }
          }
          if (hasInner) inner.thenNode(y);
          else inner.setNode(y);
          hasInner = true;
        }
      }
    }
  }
  if (bestRoute < 0) return null;
  const nodes = (s.routes[bestRoute] as Route).nodes.slice();
  nodes.splice(bestPos, 0, v);
  const out = new Set(bestOut);
  s.rebuildRoute(bestRoute, nodes.filter((u) => !out.has(u)));
  return bestOut;
}

/** Random feasible relocations and swaps between neighbouring routes. */
function perturb(s: Solution, nb: Neighbours, rng: Rng, moves: number): void {
  const inst = s.inst;
  const k = nb.k;
  if (k === 0) return;
  const a = new SegmentJoin(inst);
  const b = new SegmentJoin(inst);
  for (let t = 0; t < moves; t++) {
    const u = inst.depotCount + rng.int(inst.stopCount);
    const ri = s.routeOf[u] as number;
    if (ri < 0) continue;
    const w = nb.list[u * k + rng.int(k)] as number;
    const rj = s.routeOf[w] as number;
    if (rj < 0 || rj === ri) continue;
    const r1 = s.routes[ri] as Route;
    const r2 = s.routes[rj] as Route;
    if (r1.nodes.length === 1) continue;
    const vt1 = inst.vehicleTypes[r1.type] as VehicleType;
    const vt2 = inst.vehicleTypes[r2.type] as VehicleType;
    const s1 = routeSegments(inst, r1);
    const s2 = routeSegments(inst, r2);
    const i = s.posOf[u] as number;
    const j = s.posOf[w] as number;
    if (rng.next() < 0.5) {
      const p = j + rng.int(2);
      a.set(s1.forward[i] as Segment).then(s1.backward[i + 1] as Segment);
      b.set(s2.forward[p] as Segment).thenNode(u).then(s2.backward[p] as Segment);
      if (!feasibleSeg(vt1, a) || !feasibleSeg(vt2, b)) continue;
      const x = r1.nodes.slice();
      x.splice(i, 1);
      const y = r2.nodes.slice();
      y.splice(p, 0, u);
      setPair(s, ri, x, rj, y);
    } else {
      a.set(s1.forward[i] as Segment).thenNode(w).then(s1.backward[i + 1] as Segment);
      b.set(s2.forward[j] as Segment).thenNode(u).then(s2.backward[j + 1] as Segment);
      if (!feasibleSeg(vt1, a) || !feasibleSeg(vt2, b)) continue;
      const x = r1.nodes.slice();
      x[i] = w;
      const y = r2.nodes.slice();
      y[j] = u;
      setPair(s, ri, x, rj, y);
    }
  }
}
