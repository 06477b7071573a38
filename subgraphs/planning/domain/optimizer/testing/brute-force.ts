import type { Instance, VehicleType } from '../instance.ts';

export interface ExactSolution {
  distance: number;
  vehicles: number;
  /** Routes as node indices. */
  routes: number[][];
}

/**
 * Exact optimum by enumeration for tiny single-vehicle-type instances (up
 * to ~9 stops): best feasible route for every subset by trying every order,
 * then a set-partition DP over subsets. Minimises distance, then vehicles.
 * Returns null when no solution serves every stop.
 */
export function bruteForce(inst: Instance): ExactSolution | null {
  if (inst.vehicleTypes.length !== 1) throw new Error('bruteForce supports a single vehicle type');
  const vt = inst.vehicleTypes[0] as VehicleType;
  const k = inst.stopCount;
  if (k > 10) throw new Error('bruteForce is meant for at most 10 stops');
  const n = inst.nodeCount;
  const full = (1 << k) - 1;
  const routeCost = new Float64Array(1 << k).fill(Infinity);
  const routeOrder: number[][] = new Array<number[]>(1 << k);
  const path: number[] = [];
  const eps = 1e-9;

  // Depth-first over all feasible partial routes; each prefix closes a route.
  const dfs = (mask: number, last: number, t: number, dist: number, load: number, vol: number): void => {
    if (mask !== 0) {
      const back = t + (inst.time[last * n + vt.endNode] as number);
      if (back <= vt.shiftEnd + eps) {
        const total = dist + (inst.dist[last * n + vt.endNode] as number);
        if (total < (routeCost[mask] as number) - eps) {
          routeCost[mask] = total;
          routeOrder[mask] = path.slice();
        }
      }
    }
    for (let s = 0; s < k; s++) {
      if (mask & (1 << s)) continue;
      const u = inst.depotCount + s;
      const l = load + (inst.demand[u] as number);
      const v = vol + (inst.volume[u] as number);
      if (l > vt.capacity + eps || v > vt.volumeCapacity + eps) continue;
      const arrive = Math.max(t + (inst.time[last * n + u] as number), inst.ready[u] as number);
      if (arrive > (inst.due[u] as number) + eps) continue;
      path.push(u);
      dfs(mask | (1 << s), u, arrive + (inst.service[u] as number), dist + (inst.dist[last * n + u] as number), l, v);
      path.pop();
    }
  };
  dfs(0, vt.startNode, vt.shiftStart, 0, 0, 0);

  const maxRoutes = Math.min(inst.maxVehicles, vt.count, k);
  // best[r][mask]: cheapest cover of mask with exactly r routes.
  const best: Float64Array[] = [new Float64Array(1 << k).fill(Infinity)];
  const choice: Int32Array[] = [new Int32Array(1 << k).fill(-1)];
  (best[0] as Float64Array)[0] = 0;
  for (let r = 1; r <= maxRoutes; r++) {
    const prev = best[r - 1] as Float64Array;
    const cur = new Float64Array(1 << k).fill(Infinity);
    const ch = new Int32Array(1 << k).fill(-1);
    for (let mask = 1; mask <= full; mask++) {
      const low = mask & -mask;
      // Sub-routes must contain the lowest stop: each partition counted once.
      for (let sub = mask; sub > 0; sub = (sub - 1) & mask) {
        if (!(sub & low)) continue;
        const c = (routeCost[sub] as number) + (prev[mask ^ sub] as number);
        if (c < (cur[mask] as number) - eps) {
          cur[mask] = c;
          ch[mask] = sub;
        }
      }
    }
    best.push(cur);
    choice.push(ch);
  }
  let bestR = -1;
  let bestD = Infinity;
  for (let r = 1; r <= maxRoutes; r++) {
    const d = (best[r] as Float64Array)[full] as number;
    // Fewer routes win ties: only a strictly shorter distance justifies another vehicle.
    if (bestR < 0 ? Number.isFinite(d) : d < bestD - 1e-9 * Math.max(1, bestD)) {
      bestD = d;
      bestR = r;
    }
  }
  if (k === 0) return { distance: 0, vehicles: 0, routes: [] };
  if (bestR < 0) return null;
  const routes: number[][] = [];
  let mask = full;
  for (let r = bestR; r > 0; r--) {
    const sub = (choice[r] as Int32Array)[mask] as number;
    routes.push(routeOrder[sub] as number[]);
    mask ^= sub;
  }
  return { distance: bestD, vehicles: bestR, routes };
}
