import type { Instance, VehicleType } from './instance.ts';
import { bestInRoute } from './insertion.ts';
import type { Neighbours } from './neighbours.ts';
import { shuffle, type Rng } from './rng.ts';
import { TIME_EPS, type Route } from './route.ts';
import type { Solution } from './solution.ts';
import { concat, concatAll, nodeSegment, routeSegments, type Segment } from './time-warp.ts';

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
/** Most improving moves one squeeze makes before giving up. */
const SQUEEZE_ROUNDS = 40;
/** How far (in positions) a stop moves inside its route during a squeeze. */
const SQUEEZE_SPAN = 12;
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

/**
 * Price of a unit of overload in time units, so that one violation measure
 * adds time warp and capacity excess: an overload by a whole vehicle costs
 * about the planning horizon.
 */
export function capacityWeight(inst: Instance): number {
  let horizon = 0;
  for (const vt of inst.vehicleTypes) if (Number.isFinite(vt.shiftEnd)) horizon = Math.max(horizon, vt.shiftEnd - vt.shiftStart);
  for (let u = inst.depotCount; u < inst.nodeCount; u++) if (Number.isFinite(inst.due[u] as number)) horizon = Math.max(horizon, inst.due[u] as number);
  if (horizon <= 0) for (const d of inst.dist) horizon = Math.max(horizon, d);
  const cap = Math.max(...inst.vehicleTypes.map((t) => t.capacity));
  return Math.max(horizon, 1) / Math.max(cap, 1e-9);
}

/** Violation of a whole route summarised by its segment: time warp plus priced overload. */
export function violation(vt: VehicleType, seg: Segment, weight: number): number {
  let v = seg.timeWarp;
  if (seg.load > vt.capacity + 1e-9) v += weight * (seg.load - vt.capacity);
  if (seg.volume > vt.volumeCapacity + 1e-9) v += weight * vt.capacity * ((seg.volume - vt.volumeCapacity) / vt.volumeCapacity);
  return v;
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
  const vSeg = nodeSegment(inst, v);
  for (let ri = 0; ri < s.routes.length; ri++) {
    const r = s.routes[ri] as Route;
    const vt = inst.vehicleTypes[r.type] as VehicleType;
    const seg = routeSegments(inst, r);
    for (let p = 0; p <= r.nodes.length; p++) {
      const whole = concatAll(inst, [seg.forward[p] as Segment, vSeg, seg.backward[p] as Segment]);
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
 * Local search on the violation alone: relocate, swap and 2-opt* between a
 * violating route and the routes of its stops' granular neighbours, and
 * relocation inside it; best move per stop, while one lowers the total.
 * True when every route ends feasible.
 */
export function squeeze(t: Solution, nb: Neighbours, weight: number, maxRounds = SQUEEZE_ROUNDS): boolean {
  const inst = t.inst;
  const violationOf = (r: Route): number => {
    const seg = routeSegments(inst, r);
    return violation(inst.vehicleTypes[r.type] as VehicleType, concat(inst, seg.forward[r.nodes.length] as Segment, seg.backward[r.nodes.length] as Segment), weight);
  };
  for (let round = 0; round < maxRounds; round++) {
    let bad = -1;
    for (let ri = 0; ri < t.routes.length && bad < 0; ri++) if (violationOf(t.routes[ri] as Route) > 1e-9) bad = ri;
    if (bad < 0) return true;
    const move = bestRepairMove(t, bad, nb, weight, violationOf);
    if (!move) return false;
    move();
  }
  return false;
}

type Apply = () => void;

/** The move lowering the violation most around route ri (then the shortest), as a closure; null when none lowers it. */
function bestRepairMove(t: Solution, ri: number, nb: Neighbours, weight: number, violationOf: (r: Route) => number): Apply | null {
  const inst = t.inst;
  const r1 = t.routes[ri] as Route;
  const vt1 = inst.vehicleTypes[r1.type] as VehicleType;
  const s1 = routeSegments(inst, r1);
  const f1 = violationOf(r1);
  const m1 = r1.nodes.length;
  let bestGain = 1e-9;
  let bestDist = Infinity;
  let apply: Apply | null = null;
  const offer = (gain: number, dDist: number, fn: Apply): void => {
    if (gain > bestGain + 1e-9 || (gain > bestGain - 1e-9 && dDist < bestDist)) {
      bestGain = gain;
      bestDist = dDist;
      apply = fn;
    }
  };
  const k = nb.k;
  for (let i = 0; i < m1; i++) {
    const u = r1.nodes[i] as number;
    const uSeg = nodeSegment(inst, u);
    // Inside the route: move u to another position. The stops u jumps over form one
    // segment, grown a stop at a time, so each position costs O(1).
    const within = (p: number, seg: Segment): void => {
      const gain = f1 - violation(vt1, seg, weight);
      if (gain > bestGain - 1e-9) {
        offer(gain, seg.distance - r1.distance, () => {
          const nodes = r1.nodes.slice();
          nodes.splice(i, 1);
          nodes.splice(p < i ? p : p - 1, 0, u);
          t.setRoute(ri, nodes);
        });
      }
    };
    let jumped: Segment | null = null;
    for (let p = i - 1; p >= Math.max(0, i - SQUEEZE_SPAN); p--) {
      const x = nodeSegment(inst, r1.nodes[p] as number);
      jumped = jumped ? concat(inst, x, jumped) : x;
      within(p, concat(inst, concat(inst, concat(inst, s1.forward[p] as Segment, uSeg), jumped), s1.backward[i + 1] as Segment));
    }
    jumped = null;
    for (let p = i + 2; p <= Math.min(m1, i + 1 + SQUEEZE_SPAN); p++) {
      const x = nodeSegment(inst, r1.nodes[p - 1] as number);
      jumped = jumped ? concat(inst, jumped, x) : x;
      within(p, concat(inst, concat(inst, concat(inst, s1.forward[i] as Segment, jumped), uSeg), s1.backward[p] as Segment));
    }
    for (let j = 0; j < k; j++) {
      const w = nb.list[u * k + j] as number;
      const rj = t.routeOf[w] as number;
      if (rj < 0 || rj === ri) continue;
      const r2 = t.routes[rj] as Route;
      const vt2 = inst.vehicleTypes[r2.type] as VehicleType;
      const s2 = routeSegments(inst, r2);
      const f2 = violationOf(r2);
      const pw = t.posOf[w] as number;
      const wSeg = nodeSegment(inst, w);
      const without = concat(inst, s1.forward[i] as Segment, s1.backward[i + 1] as Segment);
      const fWithout = violation(vt1, without, weight);
      // Relocate u next to w (before or after it).
      for (const p of [pw, pw + 1]) {
        const into = concatAll(inst, [s2.forward[p] as Segment, uSeg, s2.backward[p] as Segment]);
        const gain = f1 + f2 - fWithout - violation(vt2, into, weight);
        if (gain > bestGain - 1e-9) {
          const dDist = without.distance + into.distance - r1.distance - r2.distance;
          offer(gain, dDist, () => {
            const a = r1.nodes.slice();
            a.splice(i, 1);
            const b = r2.nodes.slice();
            b.splice(p, 0, u);
            setPair(t, ri, a, rj, b);
          });
        }
      }
      // Swap u and w.
      {
        const a = concatAll(inst, [s1.forward[i] as Segment, wSeg, s1.backward[i + 1] as Segment]);
        const b = concatAll(inst, [s2.forward[pw] as Segment, uSeg, s2.backward[pw + 1] as Segment]);
        const gain = f1 + f2 - violation(vt1, a, weight) - violation(vt2, b, weight);
        if (gain > bestGain - 1e-9) {
          offer(gain, a.distance + b.distance - r1.distance - r2.distance, () => {
            const x = r1.nodes.slice();
            x[i] = w;
            const y = r2.nodes.slice();
            y[pw] = u;
            setPair(t, ri, x, rj, y);
          });
        }
      }
      // 2-opt*: exchange the tails, cutting after u and after w, or before each.
      for (const [ci, cj] of [
        [i + 1, pw + 1],
        [i, pw],
      ] as const) {
        const a = concat(inst, s1.forward[ci] as Segment, s2.backward[cj] as Segment);
        const b = concat(inst, s2.forward[cj] as Segment, s1.backward[ci] as Segment);
        const gain = f1 + f2 - violation(vt1, a, weight) - violation(vt2, b, weight);
        if (gain > bestGain - 1e-9) {
          offer(gain, a.distance + b.distance - r1.distance - r2.distance, () => {
            const x = [...r1.nodes.slice(0, ci), ...r2.nodes.slice(cj)];
            const y = [...r2.nodes.slice(0, cj), ...r1.nodes.slice(ci)];
            setPair(t, ri, x, rj, y);
          });
        }
      }
    }
  }
  return apply;
}

/**
 * Replaces two routes at once. An emptied route is dropped last, once the
 * stops it lost are marked in their new route (dropping only unmarks the
 * stops still marked as its own).
 */
function setPair(t: Solution, ri: number, a: readonly number[], rj: number, b: readonly number[]): void {
  if (a.length === 0) {
    t.setRoute(rj, b);
    t.setRoute(ri, a);
  } else {
    t.setRoute(ri, a);
    t.setRoute(rj, b);
  }
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
  let bestNodes: number[] | null = null;
  let bestOut: number[] = [];
  for (let ri = 0; ri < s.routes.length; ri++) {
    const r = s.routes[ri] as Route;
    const vt = inst.vehicleTypes[r.type] as VehicleType;
    for (let p = 0; p <= r.nodes.length; p++) {
      const nodes = r.nodes.slice();
      nodes.splice(p, 0, v);
      const m = nodes.length;
      // Prefix (start depot + nodes[0..a)) and suffix (nodes[b..m) + end depot) segments of the enlarged route.
      const fwd: Segment[] = [{ first: vt.startNode, last: vt.startNode, duration: 0, timeWarp: 0, earliest: vt.shiftStart, latest: vt.shiftEnd, load: 0, volume: 0, distance: 0 }];
      for (let a = 0; a < m; a++) fwd.push(concat(inst, fwd[a] as Segment, nodeSegment(inst, nodes[a] as number)));
      const bwd: Segment[] = new Array<Segment>(m + 1);
      bwd[m] = { first: vt.endNode, last: vt.endNode, duration: 0, timeWarp: 0, earliest: vt.shiftStart, latest: vt.shiftEnd, load: 0, volume: 0, distance: 0 };
      for (let b = m - 1; b >= 0; b--) bwd[b] = concat(inst, nodeSegment(inst, nodes[b] as number), bwd[b + 1] as Segment);
      for (let a = 0; a < m; a++) {
        // Warp before the first ejected stop cannot be undone by ejecting later ones.
        if ((fwd[a] as Segment).timeWarp > TIME_EPS) break;
        const x = nodes[a] as number;
        if (x === v) continue;
        const hx = hardness[x] as number;
        if (hx > bestScore) continue;
        const one = concat(inst, fwd[a] as Segment, bwd[a + 1] as Segment);
        if (feasibleSeg(vt, one)) {
          const d = one.distance - r.distance;
          if (hx < bestScore || d < bestDist) {
            bestScore = hx;
            bestDist = d;
            bestRoute = ri;
            bestNodes = nodes;
            bestOut = [x];
          }
        }
        if (MAX_EJECT < 2) continue;
        let inner: Segment | null = null;
        for (let b = a + 1; b < m; b++) {
          const y = nodes[b] as number;
          if (inner && inner.timeWarp > TIME_EPS) break;
          if (y !== v && hx + (hardness[y] as number) <= bestScore) {
            const two = inner ? concatAll(inst, [fwd[a] as Segment, inner, bwd[b + 1] as Segment]) : concat(inst, fwd[a] as Segment, bwd[b + 1] as Segment);
            if (feasibleSeg(vt, two)) {
              const score = hx + (hardness[y] as number);
              const d = two.distance - r.distance;
              if (score < bestScore || d < bestDist) {
                bestScore = score;
                bestDist = d;
                bestRoute = ri;
                bestNodes = nodes;
                bestOut = [x, y];
              }
            }
          }
          const ySeg = nodeSegment(inst, y);
          inner = inner ? concat(inst, inner, ySeg) : ySeg;
        }
      }
    }
  }
  if (bestRoute < 0 || !bestNodes) return null;
  const out = new Set(bestOut);
  s.rebuildRoute(bestRoute, bestNodes.filter((u) => !out.has(u)));
  return bestOut;
}

/** Random feasible relocations and swaps between neighbouring routes. */
function perturb(s: Solution, nb: Neighbours, rng: Rng, moves: number): void {
  const inst = s.inst;
  const k = nb.k;
  if (k === 0) return;
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
      const a = concat(inst, s1.forward[i] as Segment, s1.backward[i + 1] as Segment);
      const b = concatAll(inst, [s2.forward[p] as Segment, nodeSegment(inst, u), s2.backward[p] as Segment]);
      if (!feasibleSeg(vt1, a) || !feasibleSeg(vt2, b)) continue;
      const x = r1.nodes.slice();
      x.splice(i, 1);
      const y = r2.nodes.slice();
      y.splice(p, 0, u);
      setPair(s, ri, x, rj, y);
    } else {
      const a = concatAll(inst, [s1.forward[i] as Segment, nodeSegment(inst, w), s1.backward[i + 1] as Segment]);
      const b = concatAll(inst, [s2.forward[j] as Segment, nodeSegment(inst, u), s2.backward[j + 1] as Segment]);
      if (!feasibleSeg(vt1, a) || !feasibleSeg(vt2, b)) continue;
      const x = r1.nodes.slice();
      x[i] = w;
      const y = r2.nodes.slice();
      y[j] = u;
      setPair(s, ri, x, rj, y);
    }
  }
}
