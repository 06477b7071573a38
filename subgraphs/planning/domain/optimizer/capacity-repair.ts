import type { Instance, VehicleType } from './instance.ts';
import { bestInRoute } from './insertion.ts';
import { excessOf as excessOfImported } from './penalty.ts';

// Local alias: the loops below call it millions of times, and a module
// binding is read through an accessor under some loaders.
const excessOf = excessOfImported;
import { makeRoute, type Route } from './route.ts';
import type { Solution } from './solution.ts';

/**
 * Pushes an overloaded plan towards feasibility by bin-packing moves between
 * any two routes (not only granular neighbours, which is what the local
 * search lacks when the fleet has no slack): move a stop out of an
 * overloaded route, or swap it for a lighter stop of another route. Each
 * step takes the move that removes the most excess, then the least extra
 * distance; time windows stay hard. Returns whether the plan is now
 * feasible; `maxSteps` bounds the work.
 */
export function repairCapacity(s: Solution, maxSteps: number): boolean {
  const inst = s.inst;
  let over = 0;
  for (const r of s.routes) if (r.excess > 0) over++;
  // A plan this far from fitting is left to the other repair.
  if (over > maxSteps) return false;
  for (let step = 0; step < maxSteps; step++) {
    over = 0;
    for (const r of s.routes) if (r.excess > 0) over++;
    if (over === 0) return true;
    const move = bestPackingMove(inst, s);
    if (!move) return false;
    apply(inst, s, move);
  }
  for (const r of s.routes) if (r.excess > 0) return false;
  return true;
}

interface PackingMove {
  gain: number;
  extra: number;
  from: number;
  pos: number;
  to: number;
  /** Position in `to` of the stop swapped back, or -1 for a plain move. */
  back: number;
  /** Insertion position in `to` for a plain move. */
  insertAt: number;
}

function better(gain: number, extra: number, m: PackingMove | null): boolean {
  if (!m) return true;
  if (gain > m.gain + 1e-12) return true;
  return gain > m.gain - 1e-12 && extra < m.extra;
}

function bestPackingMove(inst: Instance, s: Solution): PackingMove | null {
  const n = inst.nodeCount;
  const d = inst.dist;
  const { demand, volume } = inst;
  let best: PackingMove | null = null;
  const R = s.routes.length;
  for (let a = 0; a < R; a++) {
    const A = s.routes[a] as Route;
    if (A.excess <= 0) continue;
    const ta = inst.vehicleTypes[A.type] as VehicleType;
    for (let p = 0; p < A.nodes.length; p++) {
      const u = A.nodes[p] as number;
      const du = demand[u] as number;
      const vu = volume[u] as number;
      const prevU = p === 0 ? ta.startNode : (A.nodes[p - 1] as number);
      const nextU = p === A.nodes.length - 1 ? ta.endNode : (A.nodes[p + 1] as number);
      const outGain = (d[prevU * n + u] as number) + (d[u * n + nextU] as number) - (d[prevU * n + nextU] as number);
      const exA = excessOf(ta, A.load - du, A.volume - vu);
      for (let b = 0; b < R; b++) {
        if (b === a) continue;
        const B = s.routes[b] as Route;
        const tb = inst.vehicleTypes[B.type] as VehicleType;
        // Plain move of u into B.
        const gainMove = A.excess - exA + B.excess - excessOf(tb, B.load + du, B.volume + vu);
        if (gainMove > 1e-12 && (!best || gainMove >= best.gain - 1e-12)) {
          const ins = bestInRoute(inst, B, u, null, 0, 0);
          if (Number.isFinite(ins.delta) && better(gainMove, ins.delta - outGain, best) && (!inst.hasTime || removalTimeOk(inst, A, p))) {
            best = { gain: gainMove, extra: ins.delta - outGain, from: a, pos: p, to: b, back: -1, insertAt: ins.pos };
          }
        }
        // Swap u with a lighter stop v of B, each taking the other's place.
        for (let q = 0; q < B.nodes.length; q++) {
          const v = B.nodes[q] as number;
          const dv = demand[v] as number;
          const vv = volume[v] as number;
          if (dv >= du && vv >= vu) continue;
          const gain =
            A.excess - excessOf(ta, A.load - du + dv, A.volume - vu + vv) + B.excess - excessOf(tb, B.load - dv + du, B.volume - vv + vu);
          if (gain <= 1e-12 || (best && gain < best.gain - 1e-12)) continue;
          const prevV = q === 0 ? tb.startNode : (B.nodes[q - 1] as number);
          const nextV = q === B.nodes.length - 1 ? tb.endNode : (B.nodes[q + 1] as number);
          const extra =
            (d[prevU * n + v] as number) +
            (d[v * n + nextU] as number) -
            (d[prevU * n + u] as number) -
            (d[u * n + nextU] as number) +
            (d[prevV * n + u] as number) +
            (d[u * n + nextV] as number) -
            (d[prevV * n + v] as number) -
            (d[v * n + nextV] as number);
          if (!better(gain, extra, best)) continue;
          if (inst.hasTime && !swapTimeOk(inst, A, p, v, B, q, u)) continue;
          best = { gain, extra, from: a, pos: p, to: b, back: q, insertAt: -1 };
        }
      }
    }
  }
  return best;
}

function removalTimeOk(inst: Instance, A: Route, p: number): boolean {
  const na = A.nodes.slice();
  na.splice(p, 1);
  return na.length === 0 || makeRoute(inst, A.type, na).timeOk;
}

function swapTimeOk(inst: Instance, A: Route, p: number, v: number, B: Route, q: number, u: number): boolean {
  const na = A.nodes.slice();
  na[p] = v;
  const nb = B.nodes.slice();
  nb[q] = u;
  return makeRoute(inst, A.type, na).timeOk && makeRoute(inst, B.type, nb).timeOk;
}

function apply(inst: Instance, s: Solution, m: PackingMove): void {
  const A = s.routes[m.from] as Route;
  const B = s.routes[m.to] as Route;
  const u = A.nodes[m.pos] as number;
  if (m.back >= 0) {
    const v = B.nodes[m.back] as number;
    const na = A.nodes.slice();
    na[m.pos] = v;
    const nb = B.nodes.slice();
    nb[m.back] = u;
    s.placeRoute(m.from, makeRoute(inst, A.type, na));
    s.placeRoute(m.to, makeRoute(inst, B.type, nb));
    return;
  }
  const nb = B.nodes.slice();
  nb.splice(m.insertAt, 0, u);
  const na = A.nodes.slice();
  na.splice(m.pos, 1);
  s.placeRoute(m.to, makeRoute(inst, B.type, nb));
  // A keeps at least one stop: it was overloaded, so holding u alone would fit.
  if (na.length > 0) s.placeRoute(m.from, makeRoute(inst, A.type, na));
  else s.dropRoute(m.from);
}

/**
 * Second way back to feasibility: take stops out of each overloaded route
 * until it fits (those whose removal saves most distance first), and the
 * nearest stop of another route for each of them, then put
 * them back room by room (`refill`) and greedily without overloading
 * (`insertRest`). Returns whether every stop found a place; the plan is
 * left as it ends either way (the caller works on a copy).
 */
export function ejectAndRefill(s: Solution, refill: (s: Solution) => void, insertRest: (s: Solution) => void): boolean {
  const inst = s.inst;
  const n = inst.nodeCount;
  const d = inst.dist;
  const out: number[] = [];
  for (const r of s.routes) {
    if (r.excess <= 0) continue;
    const vt = inst.vehicleTypes[r.type] as VehicleType;
    const m = r.nodes.length;
    const gains = r.nodes.map((u, i) => {
      const a = i === 0 ? vt.startNode : (r.nodes[i - 1] as number);
      const b = i === m - 1 ? vt.endNode : (r.nodes[i + 1] as number);
      return { u, g: (d[a * n + u] as number) + (d[u * n + b] as number) - (d[a * n + b] as number) };
    });
    gains.sort((x, y) => y.g - x.g || x.u - y.u);
    let load = r.load;
    let vol = r.volume;
    for (const { u } of gains) {
      if (load <= vt.capacity + 1e-9 && vol <= vt.volumeCapacity + 1e-9) break;
      out.push(u);
      load -= inst.demand[u] as number;
      vol -= inst.volume[u] as number;
    }
  }
  // Rooms left elsewhere are rarely the right size for what came out, so the
  // nearest stop of another fitting route comes out too: the refill can
  // then swap them around.
  const taken = new Set(out);
  for (const u of out.slice()) {
    let near = -1;
    let nearD = Infinity;
    for (let v = inst.depotCount; v < n; v++) {
      const rv = s.routeOf[v] as number;
      if (rv < 0 || taken.has(v) || (s.routes[rv] as Route).excess > 0) continue;
      const dv = d[u * n + v] as number;
      if (dv < nearD) {
        nearD = dv;
        near = v;
      }
    }
    if (near >= 0) {
      taken.add(near);
      out.push(near);
    }
  }
  s.remove(out);
  refill(s);
  if (s.unassigned.length > 0) insertRest(s);
  return s.unassigned.length === 0;
}
