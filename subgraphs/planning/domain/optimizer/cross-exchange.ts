import type { Instance, VehicleType } from './instance.ts';
import type { Neighbours } from './neighbours.ts';
import { chainFeasible, departBefore, latestAt, makeRoute, nodeAt, nodeBefore, type Route } from './route.ts';
import type { Solution } from './solution.ts';

/** A move must save more than this to count (as in the local search). */
const EPS = 1e-7;

/**
 * CROSS-exchange: two routes trade segments of up to `maxLen` consecutive
 * stops each (lengths may differ), both kept in their order, when that
 * shortens the plan and every capacity and window still holds.
 *
 * Why: on a fleet without slack every vehicle is exactly full, so moving one
 * stop is never allowed and a swap only between stops of equal demand; two
 * segments of equal total demand (one heavy stop for two lighter ones, three
 * for two...) can still change places, which the local search's moves cannot
 * do. Tried around each stop u and its granular neighbours v in other routes:
 * u's segment takes the place of v's segment and the other way round.
 *
 * Improves `s` in place until no exchange helps (or `maxSteps` exchanges);
 * returns the number of exchanges applied. Routes stay feasible: only moves
 * that keep every capacity and window are made.
 */
export function crossExchange(s: Solution, nb: Neighbours, maxLen = 3, maxSteps = 1000): number {
  const inst = s.inst;
  const n = inst.nodeCount;
  const d = inst.dist;
  const k = nb.k;
  const list = nb.list;
  let applied = 0;
  let improved = true;
  while (improved && applied < maxSteps) {
    improved = false;
    for (let ra = 0; ra < s.routes.length && applied < maxSteps; ra++) {
      let A = s.routes[ra] as Route;
      for (let p = 0; p < A.nodes.length; p++) {
        const u = A.nodes[p] as number;
        for (let j = 0; j < k; j++) {
          const v = list[u * k + j] as number;
          const rb = s.routeOf[v] as number;
          if (rb < 0 || rb === ra) continue;
          if (tryExchange(inst, s, ra, p, rb, s.posOf[v] as number, maxLen, n, d)) {
            applied++;
            improved = true;
            A = s.routes[ra] as Route;
            break;
          }
        }
        if (p >= A.nodes.length) break;
      }
    }
  }
  return applied;
}

/**
 * Best exchange of a segment of A starting at p with a segment of B starting
 * at q (lengths 1..maxLen each); applies it when it shortens the plan.
 */
function tryExchange(inst: Instance, s: Solution, ra: number, p: number, rb: number, q: number, maxLen: number, n: number, d: Float64Array): boolean {
  const A = s.routes[ra] as Route;
  const B = s.routes[rb] as Route;
  const ta = inst.vehicleTypes[A.type] as VehicleType;
  const tb = inst.vehicleTypes[B.type] as VehicleType;
  const aPrev = nodeBefore(inst, A, p);
  const bPrev = nodeBefore(inst, B, q);
  const loadBefore = (r: Route, i: number): number => (i > 0 ? (r.cumLoad[i - 1] as number) : 0);
  const volBefore = (r: Route, i: number): number => (i > 0 ? (r.cumVol[i - 1] as number) : 0);
  let bestDelta = -EPS;
  let bestA = 0;
  let bestB = 0;
  for (let la = 1; la <= maxLen && p + la <= A.nodes.length; la++) {
    const aFirst = A.nodes[p] as number;
    const aLast = A.nodes[p + la - 1] as number;
    const aNext = nodeAt(inst, A, p + la);
    const segLoadA = (A.cumLoad[p + la - 1] as number) - loadBefore(A, p);
    const segVolA = (A.cumVol[p + la - 1] as number) - volBefore(A, p);
    const outA = (d[aPrev * n + aFirst] as number) + (d[aLast * n + aNext] as number);
    for (let lb = 1; lb <= maxLen && q + lb <= B.nodes.length; lb++) {
      // Whole routes trading places changes nothing.
      if (la === A.nodes.length && lb === B.nodes.length) continue;
      const bFirst = B.nodes[q] as number;
      const bLast = B.nodes[q + lb - 1] as number;
      const bNext = nodeAt(inst, B, q + lb);
      const segLoadB = (B.cumLoad[q + lb - 1] as number) - loadBefore(B, q);
      const segVolB = (B.cumVol[q + lb - 1] as number) - volBefore(B, q);
      if (A.load - segLoadA + segLoadB > ta.capacity + 1e-9 || B.load - segLoadB + segLoadA > tb.capacity + 1e-9) continue;
      if (A.volume - segVolA + segVolB > ta.volumeCapacity + 1e-9 || B.volume - segVolB + segVolA > tb.volumeCapacity + 1e-9) continue;
      // Both segments keep their order, so their inner edges are unchanged.
      const delta =
        (d[aPrev * n + bFirst] as number) +
        (d[bLast * n + aNext] as number) +
        (d[bPrev * n + aFirst] as number) +
        (d[aLast * n + bNext] as number) -
        outA -
        (d[bPrev * n + bFirst] as number) -
        (d[bLast * n + bNext] as number);
      if (delta >= bestDelta) continue;
      if (inst.hasTime) {
        if (!chainFeasible(inst, aPrev, departBefore(inst, A, p), B.nodes, q, q + lb, 1, aNext, latestAt(inst, A, p + la))) continue;
        if (!chainFeasible(inst, bPrev, departBefore(inst, B, q), A.nodes, p, p + la, 1, bNext, latestAt(inst, B, q + lb))) continue;
      }
      bestDelta = delta;
      bestA = la;
      bestB = lb;
    }
  }
  if (bestA === 0) return false;
  const na = [...A.nodes.slice(0, p), ...B.nodes.slice(q, q + bestB), ...A.nodes.slice(p + bestA)];
  const nbNodes = [...B.nodes.slice(0, q), ...A.nodes.slice(p, p + bestA), ...B.nodes.slice(q + bestB)];
  const newA = makeRoute(inst, A.type, na);
  const newB = makeRoute(inst, B.type, nbNodes);
  // Vehicle types may differ in start and end depots: the full check decides.
  if (!newA.timeOk || !newB.timeOk || newA.distance + newB.distance >= A.distance + B.distance - EPS) return false;
  s.placeRoute(ra, newA);
  s.placeRoute(rb, newB);
  return true;
}
