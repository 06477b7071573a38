import type { Instance, VehicleType } from './instance.ts';

/**
 * A proof that no plan within the fleet serves every routable stop, from
 * capacity alone, or null when these simple bounds allow one:
 * - total weight (or volume) above what the largest `maxVehicles` vehicles
 *   carry together;
 * - the bin-packing bound of Martello and Toth (L2) on the weights, with
 *   every vehicle counted at the largest capacity (so it stays valid for
 *   mixed fleets), above the number of vehicles available.
 * Time windows are ignored: a null answer does not mean a plan exists.
 */
export function fleetShortfall(inst: Instance, routable: readonly number[]): string | null {
  const caps: { weight: number; volume: number }[] = [];
  for (const vt of inst.vehicleTypes as VehicleType[]) for (let i = 0; i < vt.count; i++) caps.push({ weight: vt.capacity, volume: vt.volumeCapacity });
  const k = Math.min(inst.maxVehicles, caps.length);
  if (k === 0) return routable.length > 0 ? 'no vehicle is available' : null;
  let weight = 0;
  let volume = 0;
  for (const u of routable) {
    weight += inst.demand[u] as number;
    volume += inst.volume[u] as number;
  }
  const topWeight = caps.map((c) => c.weight).sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0);
  if (weight > topWeight + 1e-9) return `total demand ${fmt(weight)} exceeds the ${k} vehicles' combined capacity ${fmt(topWeight)}`;
  const topVolume = caps.map((c) => c.volume).sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0);
  if (volume > topVolume + 1e-9) return `total volume ${fmt(volume)} exceeds the ${k} vehicles' combined volume capacity ${fmt(topVolume)}`;
  const Q = Math.max(...caps.map((c) => c.weight));
  const need = binPackingBound(routable.map((u) => inst.demand[u] as number), Q);
  if (need > k) return `the stops' weights need at least ${need} vehicles of capacity ${fmt(Q)} (bin-packing bound), but only ${k} are available`;
  return null;
}

/**
 * Martello-Toth L2 lower bound on the number of bins of capacity Q for the
 * given sizes: for a threshold K, items above Q - K each need their own bin,
 * items in (Q/2, Q - K] too, and items in [K, Q/2] can only use the room
 * the latter leave plus whole new bins.
 */
export function binPackingBound(sizes: readonly number[], Q: number): number {
  const s = sizes.filter((x) => x > 1e-12).sort((a, b) => b - a);
  if (s.length === 0) return 0;
  const total = s.reduce((a, b) => a + b, 0);
  let best = Math.ceil(total / Q - 1e-9);
  const thresholds = [...new Set(s.filter((x) => x <= Q / 2 + 1e-12)), 0];
  for (const K of thresholds) {
    let j1 = 0;
    let j2 = 0;
    let sum2 = 0;
    let sum3 = 0;
    for (const x of s) {
      if (x > Q - K + 1e-12) j1++;
      else if (x > Q / 2 + 1e-12) {
        j2++;
        sum2 += x;
      } else if (x >= K - 1e-12) sum3 += x;
    }
    const rest = Math.max(0, Math.ceil((sum3 - (j2 * Q - sum2)) / Q - 1e-9));
    best = Math.max(best, j1 + j2 + rest);
  }
  return best;
}

const fmt = (x: number): string => String(Number(x.toPrecision(12)));

/**
 * Lower bound on the vehicles from time windows: two stops that cannot
 * follow each other in either order (the earlier one's service, plus the
 * drive, ends after the other's window closes) never share a vehicle, so a
 * set of pairwise incompatible stops needs one vehicle each. The set is a
 * clique grown greedily from each of the most conflicted stops.
 */
export function timeWindowBound(inst: Instance, stops: readonly number[]): number {
  if (!inst.hasTime || stops.length === 0) return stops.length > 0 ? 1 : 0;
  const n = inst.nodeCount;
  const m = stops.length;
  const follows = (u: number, v: number): boolean =>
    (inst.ready[u] as number) + (inst.service[u] as number) + (inst.time[u * n + v] as number) <= (inst.due[v] as number) + 1e-7;
  const clash = new Uint8Array(m * m);
  const degree = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const u = stops[i] as number;
      const v = stops[j] as number;
      if (!follows(u, v) && !follows(v, u)) {
        clash[i * m + j] = clash[j * m + i] = 1;
        degree[i] = (degree[i] as number) + 1;
        degree[j] = (degree[j] as number) + 1;
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (degree[b] as number) - (degree[a] as number));
  let best = 1;
  for (const seed of order.slice(0, 20)) {
    const clique = [seed];
    for (const c of order) {
      if (c === seed) continue;
      if (clique.every((x) => clash[x * m + c] === 1)) clique.push(c);
    }
    best = Math.max(best, clique.length);
  }
  return best;
}
