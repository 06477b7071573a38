import type { Instance, VehicleType } from './instance.ts';
import type { SolveResult } from './solve.ts';

/**
 * Independent checker for a solution (re-simulates every route from the
 * instance instead of trusting the optimizer's bookkeeping). Returns
 * human-readable violations; empty means feasible and consistent.
 */
export function checkSolution(inst: Instance, result: SolveResult): string[] {
  const problems: string[] = [];
  const n = inst.nodeCount;
  const eps = 1e-6;
  const seen = new Map<number, string>();
  const typeOf = new Map<string, number>();
  inst.vehicleTypes.forEach((vt, t) => {
    if (vt.count === 1) typeOf.set(vt.id, t);
    else for (let k = 1; k <= vt.count; k++) typeOf.set(`${vt.id}#${k}`, t);
  });
  const usedVehicles = new Set<string>();
  let total = 0;
  for (const route of result.routes) {
    const where = `route ${route.vehicleId}`;
    const t = typeOf.get(route.vehicleId);
    if (t === undefined) {
      problems.push(`${where}: unknown vehicle`);
      continue;
    }
    if (usedVehicles.has(route.vehicleId)) problems.push(`${where}: vehicle used twice`);
    usedVehicles.add(route.vehicleId);
    const vt = inst.vehicleTypes[t] as VehicleType;
    if (route.stopIndices.length === 0) problems.push(`${where}: empty route`);
    let load = 0;
    let vol = 0;
    let dist = 0;
    let time = vt.shiftStart;
    let prev = vt.startNode;
    for (const s of route.stopIndices) {
      const u = inst.depotCount + s;
      if (s < 0 || u >= n) {
        problems.push(`${where}: unknown stop index ${s}`);
        continue;
      }
      if (seen.has(u)) problems.push(`stop ${inst.nodeIds[u]} visited by ${seen.get(u)} and ${route.vehicleId}`);
      seen.set(u, route.vehicleId);
      load += inst.demand[u] as number;
      vol += inst.volume[u] as number;
      dist += inst.dist[prev * n + u] as number;
      time = Math.max(time + (inst.time[prev * n + u] as number), inst.ready[u] as number);
      if (time > (inst.due[u] as number) + eps) problems.push(`${where}: stop ${inst.nodeIds[u]} served at ${time}, after its window closes at ${inst.due[u]}`);
      time += inst.service[u] as number;
      prev = u;
    }
    dist += inst.dist[prev * n + vt.endNode] as number;
    time += inst.time[prev * n + vt.endNode] as number;
    if (time > vt.shiftEnd + eps) problems.push(`${where}: returns at ${time}, after the shift ends at ${vt.shiftEnd}`);
    if (load > vt.capacity + eps) problems.push(`${where}: load ${load} exceeds capacity ${vt.capacity}`);
    if (vol > vt.volumeCapacity + eps) problems.push(`${where}: volume ${vol} exceeds capacity ${vt.volumeCapacity}`);
    if (Math.abs(dist - route.distance) > eps * Math.max(1, dist)) problems.push(`${where}: reported distance ${route.distance}, actual ${dist}`);
    total += dist;
  }
  if (Math.abs(total - result.totalDistance) > eps * Math.max(1, total)) {
    problems.push(`reported total distance ${result.totalDistance}, actual ${total}`);
  }
  if (result.routes.length > inst.maxVehicles) problems.push(`${result.routes.length} routes exceed the fleet limit ${inst.maxVehicles}`);
  if (result.vehiclesUsed !== result.routes.length) problems.push(`vehiclesUsed ${result.vehiclesUsed} but ${result.routes.length} routes`);
  for (const u of result.unserved) {
    const node = inst.depotCount + u.stopIndex;
    if (seen.has(node)) problems.push(`stop ${u.stopId} reported unserved but visited`);
    seen.set(node, 'unserved');
  }
  for (let u = inst.depotCount; u < n; u++) if (!seen.has(u)) problems.push(`stop ${inst.nodeIds[u]} neither served nor reported unserved`);
  return problems;
}
