import type { Instance, VehicleType } from './instance.ts';

/**
 * Capacity excess measured in vehicles: (load - capacity) / capacity for
 * weight, plus the same for volume. Dimensionless, so one penalty rate
 * works for weight and volume and for vehicles of different sizes.
 */
export function excessOf(vt: VehicleType, load: number, volume: number): number {
  let x = 0;
  if (load > vt.capacity + 1e-9) x += (load - vt.capacity) / Math.max(vt.capacity, 1e-9);
  if (volume > vt.volumeCapacity + 1e-9) x += (volume - vt.volumeCapacity) / Math.max(vt.volumeCapacity, 1e-9);
  return x;
}

/**
 * Total capacity excess of a plan; zero means the plan respects every capacity. Takes any plan
 * with routes' excess (a Solution) by shape, so this file needs neither solution.ts nor route.ts,
 * which import it: no file circle.
 */
export function solutionExcess(s: { readonly routes: ReadonlyArray<{ readonly excess: number }> }): number {
  let x = 0;
  for (const r of s.routes) x += r.excess;
  return x;
}

/**
 * Starting penalty per vehicle of excess: the longest edge times the number
 * of the largest stops a vehicle holds, so overloading by one typical stop
 * costs about one long detour (the same scale hybrid genetic search starts at).
 */
export function initialCapacityPenalty(inst: Instance): number {
  let maxDist = 0;
  for (const d of inst.dist) if (d > maxDist) maxDist = d;
  let maxShare = 0;
  for (let u = inst.depotCount; u < inst.nodeCount; u++) {
    for (const vt of inst.vehicleTypes) {
      const share = Math.max((inst.demand[u] as number) / Math.max(vt.capacity, 1e-9), (inst.volume[u] as number) / vt.volumeCapacity);
      if (share > maxShare) maxShare = share;
    }
  }
  return Math.max(1e-6, maxDist) / Math.max(maxShare, 0.01);
}
