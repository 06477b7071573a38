import type { Instance, VehicleType } from './instance.ts';
import type { Neighbours } from './neighbours.ts';
import type { Route } from './route.ts';
import type { Solution } from './solution.ts';
import { routeSegments, SegmentJoin, type Segment } from './time-warp.ts';

/*
 * Squeezing: local search on the violation of a plan (time warp plus priced
 * overload) until it is feasible again. Used by the ejection pool of route
 * elimination and by the penalised ALNS to repair late candidates.
 */

/** Most improving moves one squeeze makes before giving up. */
const SQUEEZE_ROUNDS = 40;
/** How far (in positions) a stop moves inside its route during a squeeze. */
const SQUEEZE_SPAN = 12;

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
  return violationOf(vt, seg.timeWarp, seg.load, seg.volume, weight);
}

function violationOf(vt: VehicleType, timeWarp: number, load: number, volume: number, weight: number): number {
  let v = timeWarp;
  if (load > vt.capacity + 1e-9) v += weight * (load - vt.capacity);
  if (volume > vt.volumeCapacity + 1e-9) v += weight * vt.capacity * ((volume - vt.volumeCapacity) / vt.volumeCapacity);
  return v;
}

/** Violation of a route as it stands. */
export function routeViolation(inst: Instance, r: Route, weight: number): number {
  return violationOf(inst.vehicleTypes[r.type] as VehicleType, routeSegments(inst, r).timeWarp, r.load, r.volume, weight);
}

/**
 * Local search on the violation alone: relocate, swap and 2-opt* between a
 * violating route and the routes of its stops' granular neighbours, and
 * relocation inside it; best move per stop, while one lowers the total.
 * True when every route ends feasible.
 */
export function squeeze(t: Solution, nb: Neighbours, weight: number, maxRounds = SQUEEZE_ROUNDS): boolean {
  const inst = t.inst;
  const joins = new Joins(inst);
  for (let round = 0; round < maxRounds; round++) {
    let bad = -1;
    for (let ri = 0; ri < t.routes.length && bad < 0; ri++) if (routeViolation(inst, t.routes[ri] as Route, weight) > 1e-9) bad = ri;
    if (bad < 0) return true;
    const move = bestRepairMove(t, bad, nb, weight, joins);
    if (!move) return false;
    move();
  }
  return false;
}

type Apply = () => void;

/** Scratch segments for pricing moves without allocating (time-warp.ts, SegmentJoin). */
class Joins {
  readonly a: SegmentJoin;
  readonly b: SegmentJoin;
  readonly without: SegmentJoin;
  readonly jumped: SegmentJoin;
  constructor(inst: Instance) {
    this.a = new SegmentJoin(inst);
    this.b = new SegmentJoin(inst);
    this.without = new SegmentJoin(inst);
    this.jumped = new SegmentJoin(inst);
  }
}

/** The move lowering the violation most around route ri (then the shortest), as a closure; null when none lowers it. */
function bestRepairMove(t: Solution, ri: number, nb: Neighbours, weight: number, joins: Joins): Apply | null {
  const inst = t.inst;
  const { a, b, without, jumped } = joins;
  const r1 = t.routes[ri] as Route;
  const vt1 = inst.vehicleTypes[r1.type] as VehicleType;
  const s1 = routeSegments(inst, r1);
  const f1 = routeViolation(inst, r1, weight);
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
    for (let p = i - 1; p >= Math.max(0, i - SQUEEZE_SPAN); p--) {
      if (p === i - 1) jumped.setNode(r1.nodes[p] as number);
      else jumped.afterNode(r1.nodes[p] as number);
      within(p, a.set(s1.forward[p] as Segment).thenNode(u).then(jumped).then(s1.backward[i + 1] as Segment));
    }
    for (let p = i + 2; p <= Math.min(m1, i + 1 + SQUEEZE_SPAN); p++) {
      if (p === i + 2) jumped.setNode(r1.nodes[p - 1] as number);
      else jumped.thenNode(r1.nodes[p - 1] as number);
      within(p, a.set(s1.forward[i] as Segment).then(jumped).thenNode(u).then(s1.backward[p] as Segment));
    }
    without.set(s1.forward[i] as Segment).then(s1.backward[i + 1] as Segment);
    const fWithout = violation(vt1, without, weight);
    const withoutDist = without.distance;
    for (let j = 0; j < k; j++) {
      const w = nb.list[u * k + j] as number;
      const rj = t.routeOf[w] as number;
      if (rj < 0 || rj === ri) continue;
      const r2 = t.routes[rj] as Route;
      const vt2 = inst.vehicleTypes[r2.type] as VehicleType;
      const s2 = routeSegments(inst, r2);
      const f2 = routeViolation(inst, r2, weight);
      const pw = t.posOf[w] as number;
      // Relocate u next to w (before or after it).
      for (let p = pw; p <= pw + 1; p++) {
        b.set(s2.forward[p] as Segment).thenNode(u).then(s2.backward[p] as Segment);
        const gain = f1 + f2 - fWithout - violation(vt2, b, weight);
        if (gain > bestGain - 1e-9) {
          const dDist = withoutDist + b.distance - r1.distance - r2.distance;
          offer(gain, dDist, () => {
            const x = r1.nodes.slice();
            x.splice(i, 1);
            const y = r2.nodes.slice();
            y.splice(p, 0, u);
            setPair(t, ri, x, rj, y);
          });
        }
      }
      // Swap u and w.
      {
        a.set(s1.forward[i] as Segment).thenNode(w).then(s1.backward[i + 1] as Segment);
        b.set(s2.forward[pw] as Segment).thenNode(u).then(s2.backward[pw + 1] as Segment);
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
      for (let before = 0; before <= 1; before++) {
        const ci = i + 1 - before;
        const cj = pw + 1 - before;
        a.set(s1.forward[ci] as Segment).then(s2.backward[cj] as Segment);
        b.set(s2.forward[cj] as Segment).then(s1.backward[ci] as Segment);
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
export function setPair(t: Solution, ri: number, a: readonly number[], rj: number, b: readonly number[]): void {
  if (a.length === 0) {
    t.setRoute(rj, b);
    t.setRoute(ri, a);
  } else {
    t.setRoute(ri, a);
    t.setRoute(rj, b);
  }
}

