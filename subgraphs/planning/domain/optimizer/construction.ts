import type { Instance, VehicleType } from './instance.ts';
import { fitsCapacity } from './insertion.ts';
import type { Neighbours } from './neighbours.ts';
import { departBefore, insertionDelta, makeRoute, nodeAt, nodeBefore, singletonCost, type Route } from './route.ts';
import { Solution } from './solution.ts';

/**
 * Clarke-Wright parallel savings for a single vehicle type. Merges are
 * checked for capacity and timing, so it also works with windows. Large
 * instances only consider savings between granular neighbours.
 */
export function savingsConstruction(inst: Instance, routable: readonly number[], nb: Neighbours): Solution {
  const vt = inst.vehicleTypes[0] as VehicleType;
  const n = inst.nodeCount;
  const d = inst.dist;
  const S = vt.startNode;
  const E = vt.endNode;
  const routeId = new Int32Array(n).fill(-1);
  const routes: (number[] | null)[] = [];
  const loads: number[] = [];
  const vols: number[] = [];
  for (const u of routable) {
    routeId[u] = routes.length;
    routes.push([u]);
    loads.push(inst.demand[u] as number);
    vols.push(inst.volume[u] as number);
  }
  const pairs: { i: number; j: number; s: number }[] = [];
  const isRoutable = new Uint8Array(n);
  for (const u of routable) isRoutable[u] = 1;
  const saving = (i: number, j: number): number =>
    (d[i * n + E] as number) + (d[S * n + j] as number) - (d[i * n + j] as number);
  if (routable.length <= 300) {
    for (const i of routable) for (const j of routable) if (i !== j && (inst.symmetric ? i < j : true)) pairs.push({ i, j, s: saving(i, j) });
  } else {
    for (const i of routable) {
      for (let k = 0; k < nb.k; k++) {
        const j = nb.list[i * nb.k + k] as number;
        if (!isRoutable[j] || (inst.symmetric && j < i && nbHas(nb, j, i))) continue;
        pairs.push({ i, j, s: saving(i, j) });
      }
    }
  }
  pairs.sort((a, b) => b.s - a.s || a.i - b.i || a.j - b.j);

  const tryMerge = (first: number[], second: number[], r1: number, r2: number): boolean => {
    if ((loads[r1] as number) + (loads[r2] as number) > vt.capacity + 1e-9) return false;
    if ((vols[r1] as number) + (vols[r2] as number) > vt.volumeCapacity + 1e-9) return false;
    const merged = first.concat(second);
    if (inst.hasTime && !makeRoute(inst, 0, merged).timeOk) return false;
    routes[r1] = merged;
    routes[r2] = null;
    loads[r1] = (loads[r1] as number) + (loads[r2] as number);
    vols[r1] = (vols[r1] as number) + (vols[r2] as number);
    for (const u of second) routeId[u] = r1;
    return true;
  };

  for (const { i, j, s } of pairs) {
    if (s <= 0) break;
    const r1 = routeId[i] as number;
    const r2 = routeId[j] as number;
    if (r1 === r2) continue;
    const a = routes[r1] as number[];
    const b = routes[r2] as number[];
    const iEnd = a[a.length - 1] === i;
    const iStart = a[0] === i;
    const jStart = b[0] === j;
    const jEnd = b[b.length - 1] === j;
    if (iEnd && jStart) tryMerge(a, b, r1, r2);
    else if (inst.symmetric) {
      // Symmetric distances: a route can be walked either way.
      if (iStart && jEnd) tryMerge(b, a, r2, r1);
      else if (iEnd && jEnd) tryMerge(a, b.slice().reverse(), r1, r2);
      else if (iStart && jStart) tryMerge(a.slice().reverse(), b, r1, r2);
    }
  }

  const sol = new Solution(inst);
  const built = routes.filter((r): r is number[] => r !== null).sort((x, y) => y.length - x.length);
  for (const nodes of built) {
    if (sol.canOpen(0)) sol.addRoute(0, nodes);
    else sol.unassigned.push(...nodes);
  }
  return sol;
}

function nbHas(nb: Neighbours, u: number, v: number): boolean {
  for (let k = 0; k < nb.k; k++) if (nb.list[u * nb.k + k] === v) return true;
  return false;
}

export interface I1Params {
  mu: number;
  lambda: number;
  alpha1: number;
}

/**
 * Solomon's I1 sequential insertion: open a route with the farthest stop,
 * then repeatedly insert the stop that gains most from being served now
 * rather than on its own route, weighing detour against schedule push.
 */
export function i1Construction(inst: Instance, routable: readonly number[], params: I1Params): Solution {
  const n = inst.nodeCount;
  const d = inst.dist;
  const sol = new Solution(inst);
  const pending = new Set(routable);
  const { mu, lambda, alpha1 } = params;
  const alpha2 = 1 - alpha1;
  while (pending.size > 0) {
    // Largest available vehicle first so that big stops are not stranded.
    let type = -1;
    for (let t = 0; t < inst.vehicleTypes.length; t++) {
      if (!sol.canOpen(t)) continue;
      if (type < 0 || (inst.vehicleTypes[t] as VehicleType).capacity > (inst.vehicleTypes[type] as VehicleType).capacity) type = t;
    }
    if (type < 0) break;
    const vt = inst.vehicleTypes[type] as VehicleType;
    let seed = -1;
    let seedKey = -Infinity;
    for (const u of pending) {
      if (!Number.isFinite(singletonCost(inst, vt, u))) continue;
      const key = d[vt.startNode * n + u] as number;
      if (key > seedKey || (key === seedKey && u < seed)) {
        seed = u;
        seedKey = key;
      }
    }
    if (seed < 0) break;
    pending.delete(seed);
    let route: Route = makeRoute(inst, type, [seed]);
    for (;;) {
      let bestU = -1;
      let bestPos = -1;
      let bestC2 = -Infinity;
      for (const u of pending) {
        if (!fitsCapacity(inst, route, u)) continue;
        let c1 = Infinity;
        let pos = -1;
        for (let p = 0; p <= route.nodes.length; p++) {
          if (!Number.isFinite(insertionDelta(inst, route, u, p))) continue;
          const a = nodeBefore(inst, route, p);
          const b = nodeAt(inst, route, p);
          const c11 = (d[a * n + u] as number) + (d[u * n + b] as number) - mu * (d[a * n + b] as number);
          let c12 = 0;
          if (alpha2 > 0 && inst.hasTime) {
            const tu = Math.max(departBefore(inst, route, p) + (inst.time[a * n + u] as number), inst.ready[u] as number);
            const arriveB = tu + (inst.service[u] as number) + (inst.time[u * n + b] as number);
            const oldB = p < route.nodes.length ? (route.start[p] as number) : departBefore(inst, route, p) + (inst.time[a * n + b] as number);
            c12 = Math.max(arriveB, p < route.nodes.length ? (inst.ready[b] as number) : -Infinity) - oldB;
          }
          const c = alpha1 * c11 + alpha2 * c12;
          if (c < c1) {
            c1 = c;
            pos = p;
          }
        }
        if (pos < 0) continue;
        const c2 = lambda * (d[vt.startNode * n + u] as number) - c1;
        if (c2 > bestC2 || (c2 === bestC2 && u < bestU)) {
          bestC2 = c2;
          bestU = u;
          bestPos = pos;
        }
      }
      if (bestU < 0) break;
      pending.delete(bestU);
      const nodes = route.nodes.slice();
      nodes.splice(bestPos, 0, bestU);
      route = makeRoute(inst, type, nodes);
    }
    sol.addRoute(type, route.nodes);
  }
  sol.unassigned.push(...pending);
  return sol;
}
