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
  return new SegmentJoin(inst).setNode(u);
}

/** A depot visit for vehicle type vt: inside the shift, no service. */
export function depotSegment(inst: Instance, vt: VehicleType, node: number): Segment {
  return new SegmentJoin(inst).setDepot(vt, node);
}

/** The sequence a, then b. */
export function concat(inst: Instance, a: Segment, b: Segment): Segment {
  return new SegmentJoin(inst).set(a).then(b);
}

/**
 * A segment built in place: pricing a move joins a prefix, a stop or two and
 * a suffix, and allocating a segment per join made the garbage collector a
 * fifth of the search's time. `concat` and `nodeSegment` build one each, so
 * there is one copy of the arithmetic. Each user keeps its own; read it
 * before the next `set`.
 */
export class SegmentJoin implements Segment {
  first = 0;
  last = 0;
  duration = 0;
  timeWarp = 0;
  earliest = 0;
  latest = 0;
  load = 0;
  volume = 0;
  distance = 0;
  constructor(private readonly inst: Instance) {}

  set(a: Segment): this {
    this.first = a.first;
    this.last = a.last;
    this.duration = a.duration;
    this.timeWarp = a.timeWarp;
    this.earliest = a.earliest;
    this.latest = a.latest;
    this.load = a.load;
    this.volume = a.volume;
    this.distance = a.distance;
    return this;
  }

  /** A depot visit of vehicle type vt. */
  setDepot(vt: VehicleType, node: number): this {
    this.first = node;
    this.last = node;
    this.duration = 0;
    this.timeWarp = 0;
    this.earliest = vt.shiftStart;
    this.latest = vt.shiftEnd;
    this.load = 0;
    this.volume = 0;
    this.distance = 0;
    return this;
  }

  /** The stop u alone. */
  setNode(u: number): this {
    const { service, ready, due, demand, volume } = this.inst;
    this.first = u;
    this.last = u;
    this.duration = service[u] as number;
    this.timeWarp = 0;
    this.earliest = ready[u] as number;
    this.latest = due[u] as number;
    this.load = demand[u] as number;
    this.volume = volume[u] as number;
    this.distance = 0;
    return this;
  }

  /** This sequence, then b. */
  then(b: Segment): this {
    return this.join(b.first, b.last, b.duration, b.timeWarp, b.earliest, b.latest, b.load, b.volume, b.distance);
  }

  /** This sequence, then the stop u. */
  thenNode(u: number): this {
    const { service, ready, due, demand, volume } = this.inst;
    return this.join(u, u, service[u] as number, 0, ready[u] as number, due[u] as number, demand[u] as number, volume[u] as number, 0);
  }

  /** The stop u, then this sequence. */
  afterNode(u: number): this {
    const { first, last, duration, timeWarp, earliest, latest, load, volume, distance } = this;
    return this.setNode(u).join(first, last, duration, timeWarp, earliest, latest, load, volume, distance);
  }

  private join(bFirst: number, bLast: number, bDuration: number, bWarp: number, bEarliest: number, bLatest: number, bLoad: number, bVolume: number, bDistance: number): this {
    const inst = this.inst;
    const n = inst.nodeCount;
    const travel = inst.time[this.last * n + bFirst] as number;
    const gap = this.duration - this.timeWarp + travel;
    const wait = Math.max(bEarliest - gap - this.latest, 0);
    const warp = Math.max(this.earliest + gap - bLatest, 0);
    this.distance = this.distance + bDistance + (inst.dist[this.last * n + bFirst] as number);
    this.duration = this.duration + bDuration + travel + wait;
    this.timeWarp = this.timeWarp + bWarp + warp;
    this.earliest = Math.max(bEarliest - gap, this.earliest) - wait;
    this.latest = Math.min(bLatest - gap, this.latest) + warp;
    this.load += bLoad;
    this.volume += bVolume;
    this.last = bLast;
    return this;
  }
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
  /** The whole route's time warp. */
  timeWarp: number;
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
  const forward: Segment[] = [depotSegment(inst, vt, vt.startNode)];
  for (let i = 0; i < m; i++) forward.push(concat(inst, forward[i] as Segment, nodeSegment(inst, r.nodes[i] as number)));
  const backward: Segment[] = new Array<Segment>(m + 1);
  backward[m] = depotSegment(inst, vt, vt.endNode);
  for (let i = m - 1; i >= 0; i--) backward[i] = concat(inst, nodeSegment(inst, r.nodes[i] as number), backward[i + 1] as Segment);
  s = { forward, backward, timeWarp: concat(inst, forward[m] as Segment, backward[m] as Segment).timeWarp };
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
  return routeSegments(inst, r).timeWarp;
}
