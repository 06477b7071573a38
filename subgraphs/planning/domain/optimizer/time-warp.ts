import type { Instance, VehicleType } from './instance.ts';

/**
 * Time windows as a price instead of a wall. A vehicle that would start a
 * service after its window closes is allowed to "warp" back in time to the
 * due time; the total warp is what the plan is penalised for (the relaxation
 * of hybrid genetic search for VRPTW). A sequence of visits is summarised by
 * a segment (duration, warp, earliest and latest start, load, distance), and
 * two segments concatenate in O(1): so a move that rejoins the pieces of a
 * route (a prefix, a stop or two, a suffix) costs O(1) to price, given each
 * route's prefix and suffix segments (`routeSegments`).
 */
export interface Segment {
  /** First and last node of the sequence. */
  first: number;
  last: number;
  /** Service and travel time inside, plus waiting that cannot be avoided. */
  duration: number;
  timeWarp: number;
  /** Earliest and latest start of the first service giving that duration and warp. */
  earliest: number;
  latest: number;
  load: number;
  volume: number;
  distance: number;
}

export function nodeSegment(inst: Instance, u: number): Segment {
  return {
    first: u,
    last: u,
    duration: inst.service[u] as number,
    timeWarp: 0,
    earliest: inst.ready[u] as number,
    latest: inst.due[u] as number,
    load: inst.demand[u] as number,
    volume: inst.volume[u] as number,
    distance: 0,
  };
}

/** A depot visit for vehicle type vt: inside the shift, no service. */
export function depotSegment(vt: VehicleType, node: number): Segment {
  return { first: node, last: node, duration: 0, timeWarp: 0, earliest: vt.shiftStart, latest: vt.shiftEnd, load: 0, volume: 0, distance: 0 };
}

/** The sequence a, then b. */
export function concat(inst: Instance, a: Segment, b: Segment): Segment {
  const n = inst.nodeCount;
  const travel = inst.time[a.last * n + b.first] as number;
  const gap = a.duration - a.timeWarp + travel;
  const wait = Math.max(b.earliest - gap - a.latest, 0);
  const warp = Math.max(a.earliest + gap - b.latest, 0);
  return {
    first: a.first,
    last: b.last,
    duration: a.duration + b.duration + travel + wait,
    timeWarp: a.timeWarp + b.timeWarp + warp,
    earliest: Math.max(b.earliest - gap, a.earliest) - wait,
    latest: Math.min(b.latest - gap, a.latest) + warp,
    load: a.load + b.load,
    volume: a.volume + b.volume,
    distance: a.distance + b.distance + (inst.dist[a.last * n + b.first] as number),
  };
}

/** Concatenation of several segments, left to right. */
export function concatAll(inst: Instance, parts: readonly Segment[]): Segment {
  let s = parts[0] as Segment;
  for (let i = 1; i < parts.length; i++) s = concat(inst, s, parts[i] as Segment);
  return s;
}

/**
 * Prefix and suffix segments of a route: `forward[i]` is the start depot
 * then nodes[0..i), `backward[i]` is nodes[i..m) then the end depot, for
 * i = 0..m. Any piece of the route before or after a cut is one of them.
 */
export interface RouteSegments {
  forward: Segment[];
  backward: Segment[];
}

/**
 * What this file reads of a route (route.ts's Route has it): by shape rather than by import, as
 * route.ts imports RouteSegments from here and a file circle would follow.
 */
interface Route {
  readonly type: number;
  readonly nodes: readonly number[];
  segments: RouteSegments | undefined;
}

// Routes are immutable, so their segments are computed once, on first use,
// and kept on the route: the feasible-only search never pays for them.
export function routeSegments(inst: Instance, r: Route): RouteSegments {
  let s = r.segments;
  if (s) return s;
  const vt = inst.vehicleTypes[r.type] as VehicleType;
  const m = r.nodes.length;
  const forward: Segment[] = [depotSegment(vt, vt.startNode)];
  for (let i = 0; i < m; i++) forward.push(concat(inst, forward[i] as Segment, nodeSegment(inst, r.nodes[i] as number)));
  const backward: Segment[] = new Array<Segment>(m + 1);
  backward[m] = depotSegment(vt, vt.endNode);
  for (let i = m - 1; i >= 0; i--) backward[i] = concat(inst, nodeSegment(inst, r.nodes[i] as number), backward[i + 1] as Segment);
  s = { forward, backward };
  r.segments = s;
  return s;
}

/** Segment of nodes[from..to) of a route (no depots), or null when empty. O(to - from). */
export function innerSegment(inst: Instance, r: Route, from: number, to: number): Segment | null {
  if (to <= from) return null;
  let s = nodeSegment(inst, r.nodes[from] as number);
  for (let i = from + 1; i < to; i++) s = concat(inst, s, nodeSegment(inst, r.nodes[i] as number));
  return s;
}

/** Total time warp of a route (0 when every window and the shift are kept). */
export function routeTimeWarp(inst: Instance, r: Route): number {
  const seg = routeSegments(inst, r);
  const m = r.nodes.length;
  return concat(inst, seg.forward[m] as Segment, seg.backward[m] as Segment).timeWarp;
}
