import type { Instance, VehicleType } from './instance.ts';
import { makeRoute, type Route } from './route.ts';

/**
 * Mutable search state over immutable routes: cloning copies the route list
 * and two index arrays, never the routes themselves (cheap per iteration).
 */
export class Solution {
  readonly inst: Instance;
  routes: Route[];
  /** Route index per node, -1 when not routed. */
  routeOf: Int32Array;
  /** Position in its route per node. */
  posOf: Int32Array;
  /** Routable stops currently not in any route. */
  unassigned: number[];
  /** Routes in use per vehicle type. */
  used: Int32Array;

  constructor(inst: Instance) {
    this.inst = inst;
    this.routes = [];
    this.routeOf = new Int32Array(inst.nodeCount).fill(-1);
    this.posOf = new Int32Array(inst.nodeCount).fill(-1);
    this.unassigned = [];
    this.used = new Int32Array(inst.vehicleTypes.length);
  }

  clone(): Solution {
    const s = new Solution(this.inst);
    s.routes = this.routes.slice();
    s.routeOf.set(this.routeOf);
    s.posOf.set(this.posOf);
    s.unassigned = this.unassigned.slice();
    s.used.set(this.used);
    return s;
  }

  /** The same plan over another view of the instance (e.g. a smaller fleet limit). */
  withInstance(inst: Instance): Solution {
    const s = new Solution(inst);
    s.copyFrom(this);
    return s;
  }

  /** Replaces the content of the state with another's (avoids reallocating). */
  copyFrom(o: Solution): void {
    this.routes = o.routes.slice();
    this.routeOf.set(o.routeOf);
    this.posOf.set(o.posOf);
    this.unassigned = o.unassigned.slice();
    this.used.set(o.used);
  }

  distance(): number {
    let d = 0;
    for (const r of this.routes) d += r.distance;
    return d;
  }

  /** Total capacity excess (penalty.ts); zero means the plan respects every capacity. */
  excess(): number {
    let x = 0;
    for (const r of this.routes) x += r.excess;
    return x;
  }

  /** Whether one more route of this type fits the fleet. */
  canOpen(type: number): boolean {
    const vt = this.inst.vehicleTypes[type] as VehicleType;
    return this.routes.length < this.inst.maxVehicles && (this.used[type] as number) < vt.count;
  }

  /** Replaces route ri with a new node list; an empty list drops the route. */
  setRoute(ri: number, nodes: readonly number[]): void {
    const old = this.routes[ri] as Route;
    if (nodes.length === 0) {
      this.dropRoute(ri);
      return;
    }
    this.placeRoute(ri, makeRoute(this.inst, old.type, nodes));
  }

  /** Installs a prebuilt route at index ri (ri = routes.length appends). */
  placeRoute(ri: number, r: Route): void {
    if (ri === this.routes.length) this.used[r.type] = (this.used[r.type] as number) + 1;
    this.routes[ri] = r;
    const nodes = r.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const u = nodes[i] as number;
      this.routeOf[u] = ri;
      this.posOf[u] = i;
    }
  }

  addRoute(type: number, nodes: readonly number[]): number {
    const ri = this.routes.length;
    this.placeRoute(ri, makeRoute(this.inst, type, nodes));
    return ri;
  }

  /** Removes route ri (its nodes must already be re-homed or unassigned). */
  dropRoute(ri: number): void {
    const old = this.routes[ri] as Route;
    this.used[old.type] = (this.used[old.type] as number) - 1;
    for (const u of old.nodes) {
      if (this.routeOf[u] === ri) {
        this.routeOf[u] = -1;
        this.posOf[u] = -1;
      }
    }
    const last = this.routes.length - 1;
    if (ri !== last) {
      const moved = this.routes[last] as Route;
      this.routes[ri] = moved;
      for (const u of moved.nodes) this.routeOf[u] = ri;
    }
    this.routes.pop();
  }

  /** Removes the given stops from their routes and marks them unassigned. */
  remove(stops: readonly number[]): void {
    const byRoute = new Map<Route, Set<number>>();
    for (const u of stops) {
      const ri = this.routeOf[u] as number;
      if (ri < 0) continue;
      const r = this.routes[ri] as Route;
      let set = byRoute.get(r);
      if (!set) byRoute.set(r, (set = new Set()));
      set.add(u);
      this.unassigned.push(u);
    }
    for (const [r, set] of byRoute) {
      // Detach removed nodes first so dropRoute/placeRoute do not touch them.
      for (const u of set) {
        this.routeOf[u] = -1;
        this.posOf[u] = -1;
      }
      const keep = r.nodes.filter((u) => !set.has(u));
      // Find the current index via a kept node, or via identity if all go.
      const idx = keep.length > 0 ? (this.routeOf[keep[0] as number] as number) : this.routes.indexOf(r);
      if (keep.length === 0) this.dropRoute(idx);
      else this.placeRoute(idx, makeRoute(this.inst, r.type, keep));
    }
  }

  /** Inserts unassigned stop u before position p of route ri. */
  insert(u: number, ri: number, p: number): void {
    const r = this.routes[ri] as Route;
    const nodes = r.nodes.slice();
    nodes.splice(p, 0, u);
    this.placeRoute(ri, makeRoute(this.inst, r.type, nodes));
    this.markAssigned(u);
  }

  /**
   * Gives route ri a new, non-empty node list: stops that left it become
   * unassigned, unassigned stops that joined it are served.
   */
  rebuildRoute(ri: number, nodes: readonly number[]): void {
    const old = this.routes[ri] as Route;
    const kept = new Set(nodes);
    for (const u of old.nodes) {
      if (kept.has(u)) continue;
      this.routeOf[u] = -1;
      this.posOf[u] = -1;
      this.unassigned.push(u);
    }
    for (const u of nodes) if ((this.routeOf[u] as number) < 0) this.markAssigned(u);
    this.placeRoute(ri, makeRoute(this.inst, old.type, nodes));
  }

  openRoute(u: number, type: number): void {
    this.addRoute(type, [u]);
    this.markAssigned(u);
  }

  private markAssigned(u: number): void {
    const i = this.unassigned.indexOf(u);
    if (i >= 0) {
      this.unassigned[i] = this.unassigned[this.unassigned.length - 1] as number;
      this.unassigned.pop();
    }
  }
}
