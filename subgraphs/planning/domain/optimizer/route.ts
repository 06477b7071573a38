import type { Instance, VehicleType } from './instance.ts';
import { excessOf } from './penalty.ts';
import type { RouteSegments } from './time-warp.ts';

/** Absolute tolerance for time comparisons (floating sums of decimals). */
export const TIME_EPS = 1e-7;

/**
 * An immutable route with the prefix data that makes move evaluation O(1):
 * cumulative distance/load, earliest service start (forward) and latest
 * service start that keeps the rest of the route feasible (backward slack).
 */
export interface Route {
  readonly type: number;
  readonly nodes: readonly number[];
  readonly distance: number;
  readonly load: number;
  readonly volume: number;
  /** cumDist[i]: distance from the start depot to nodes[i] along the route. */
  readonly cumDist: readonly number[];
  /** cumRev[i]: cost of travelling nodes[0..i] backwards (only for asymmetric instances). */
  readonly cumRev: readonly number[];
  /** cumLoad[i]: weight of nodes[0..i]. */
  readonly cumLoad: readonly number[];
  readonly cumVol: readonly number[];
  /** Earliest service start at nodes[i]. */
  readonly start: readonly number[];
  /** Latest service start at nodes[i] that keeps the rest of the route feasible. */
  readonly latest: readonly number[];
  /** Time-feasible (the search only keeps feasible routes; checkers use this). */
  readonly timeOk: boolean;
  /** Capacity excess in vehicles (see penalty.ts); 0 when the load fits. */
  readonly excess: number;
  /** Prefix and suffix time-warp segments, filled on first use (time-warp.ts); the route itself never changes. */
  segments: RouteSegments | undefined;
}

export function makeRoute(inst: Instance, type: number, nodes: readonly number[]): Route {
  const vt = inst.vehicleTypes[type] as VehicleType;
  const n = inst.nodeCount;
  const { dist, time, demand, volume, service, ready, due } = inst;
  const m = nodes.length;
  // Plain arrays: much cheaper to allocate than typed arrays for short routes.
  const cumDist: number[] = [];
  const cumRev: number[] = [];
  const cumLoad: number[] = [];
  const cumVol: number[] = [];
  const start: number[] = [];
  const latest: number[] = new Array<number>(m);
  const asym = !inst.symmetric;
  let d = 0;
  let rev = 0;
  let load = 0;
  let vol = 0;
  let prev = vt.startNode;
  let t = vt.shiftStart;
  let timeOk = true;
  for (let i = 0; i < m; i++) {
    const u = nodes[i] as number;
    d += dist[prev * n + u] as number;
    if (asym && i > 0) rev += dist[u * n + prev] as number;
    load += demand[u] as number;
    vol += volume[u] as number;
    cumDist.push(d);
    if (asym) cumRev.push(rev);
    cumLoad.push(load);
    cumVol.push(vol);
    t = Math.max(t + (time[prev * n + u] as number), ready[u] as number);
    if (t > (due[u] as number) + TIME_EPS) timeOk = false;
    start.push(t);
    t += service[u] as number;
    prev = u;
  }
  const distance = m === 0 ? 0 : d + (dist[prev * n + vt.endNode] as number);
  if (m > 0 && t + (time[prev * n + vt.endNode] as number) > vt.shiftEnd + TIME_EPS) timeOk = false;
  let late = vt.shiftEnd;
  let next = vt.endNode;
  for (let i = m - 1; i >= 0; i--) {
    const u = nodes[i] as number;
    late = Math.min(due[u] as number, late - (service[u] as number) - (time[u * n + next] as number));
    latest[i] = late;
    next = u;
  }
  const excess = excessOf(vt, load, vol);
  return { type, nodes, distance, load, volume: vol, cumDist, cumRev, cumLoad, cumVol, start, latest, timeOk, excess, segments: undefined };
}

/** Departure time from the node before position p (the start depot when p = 0). */
export function departBefore(inst: Instance, r: Route, p: number): number {
  if (p === 0) return (inst.vehicleTypes[r.type] as VehicleType).shiftStart;
  const u = r.nodes[p - 1] as number;
  return (r.start[p - 1] as number) + (inst.service[u] as number);
}

/** Latest arrival allowed at position p (the end depot when p = length). */
export function latestAt(inst: Instance, r: Route, p: number): number {
  if (p === r.nodes.length) return (inst.vehicleTypes[r.type] as VehicleType).shiftEnd;
  return r.latest[p] as number;
}

export function nodeBefore(inst: Instance, r: Route, p: number): number {
  return p === 0 ? (inst.vehicleTypes[r.type] as VehicleType).startNode : (r.nodes[p - 1] as number);
}

export function nodeAt(inst: Instance, r: Route, p: number): number {
  return p === r.nodes.length ? (inst.vehicleTypes[r.type] as VehicleType).endNode : (r.nodes[p] as number);
}

/**
 * Time check for visiting `seq[from..to)` after leaving `prev` at `depart`,
 * then reaching `next` by `nextLatest`. O(length of the sequence).
 */
export function chainFeasible(
  inst: Instance,
  prev: number,
  depart: number,
  seq: readonly number[],
  from: number,
  to: number,
  step: 1 | -1,
  next: number,
  nextLatest: number,
): boolean {
  const n = inst.nodeCount;
  let t = depart;
  let p = prev;
  for (let i = from; i !== to; i += step) {
    const u = seq[i] as number;
    t = Math.max(t + (inst.time[p * n + u] as number), inst.ready[u] as number);
    if (t > (inst.due[u] as number) + TIME_EPS) return false;
    t += inst.service[u] as number;
    p = u;
  }
  return t + (inst.time[p * n + next] as number) <= nextLatest + TIME_EPS;
}

/**
 * Cost and feasibility of inserting stop u before position p of route r.
 * Returns Infinity when the insertion breaks a time window or the shift.
 * Capacity is checked by the caller (once per route).
 */
export function insertionDelta(inst: Instance, r: Route, u: number, p: number): number {
  const n = inst.nodeCount;
  const a = nodeBefore(inst, r, p);
  const b = nodeAt(inst, r, p);
  const delta = (inst.dist[a * n + u] as number) + (inst.dist[u * n + b] as number) - (inst.dist[a * n + b] as number);
  if (!inst.hasTime) return delta;
  let t = departBefore(inst, r, p) + (inst.time[a * n + u] as number);
  if (t < (inst.ready[u] as number)) t = inst.ready[u] as number;
  if (t > (inst.due[u] as number) + TIME_EPS) return Infinity;
  t += (inst.service[u] as number) + (inst.time[u * n + b] as number);
  if (t > latestAt(inst, r, p) + TIME_EPS) return Infinity;
  return delta;
}

/** Distance of a route made of u alone for vehicle type vt, or Infinity if infeasible. */
export function singletonCost(inst: Instance, vt: VehicleType, u: number): number {
  const n = inst.nodeCount;
  if ((inst.demand[u] as number) > vt.capacity || (inst.volume[u] as number) > vt.volumeCapacity) return Infinity;
  if (inst.hasTime) {
    let t = vt.shiftStart + (inst.time[vt.startNode * n + u] as number);
    if (t < (inst.ready[u] as number)) t = inst.ready[u] as number;
    if (t > (inst.due[u] as number) + TIME_EPS) return Infinity;
    t += (inst.service[u] as number) + (inst.time[u * n + vt.endNode] as number);
    if (t > vt.shiftEnd + TIME_EPS) return Infinity;
  }
  return (inst.dist[vt.startNode * n + u] as number) + (inst.dist[u * n + vt.endNode] as number);
}
