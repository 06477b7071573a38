import type { Neighbours } from './neighbours.ts';
import type { Rng } from './rng.ts';
import type { Route } from './route.ts';
import type { Solution } from './solution.ts';

/** Scales used by the relatedness (Shaw) measure, computed once per instance. */
export interface Relatedness {
  maxDist: number;
  maxTime: number;
  maxDemand: number;
}

export function relatednessScales(s: Solution): Relatedness {
  const inst = s.inst;
  let maxDist = 0;
  for (const d of inst.dist) if (d > maxDist) maxDist = d;
  let maxTime = 0;
  let maxDemand = 0;
  for (let u = inst.depotCount; u < inst.nodeCount; u++) {
    const r = inst.ready[u] as number;
    if (Number.isFinite(r) && r > maxTime) maxTime = r;
    if ((inst.demand[u] as number) > maxDemand) maxDemand = inst.demand[u] as number;
  }
  return { maxDist: maxDist || 1, maxTime: maxTime || 1, maxDemand: maxDemand || 1 };
}

function assignedStops(s: Solution): number[] {
  const out: number[] = [];
  for (const r of s.routes) for (const u of r.nodes) out.push(u);
  return out;
}

/** Index biased towards the front of a list of length len (Ropke-Pisinger y^p). */
function biasedIndex(rng: Rng, len: number, p: number): number {
  return Math.min(len - 1, Math.floor(Math.pow(rng.next(), p) * len));
}

export function randomRemoval(s: Solution, q: number, rng: Rng): void {
  const all = assignedStops(s);
  const out: number[] = [];
  for (let i = 0; i < q && all.length > 0; i++) {
    const j = rng.int(all.length);
    out.push(all[j] as number);
    all[j] = all[all.length - 1] as number;
    all.pop();
  }
  s.remove(out);
}

/** Removes stops whose removal saves the most distance (randomised). */
export function worstRemoval(s: Solution, q: number, rng: Rng): void {
  const inst = s.inst;
  const n = inst.nodeCount;
  const gains: { u: number; g: number }[] = [];
  for (const r of s.routes) {
    const vt = inst.vehicleTypes[r.type];
    if (!vt) continue;
    const m = r.nodes.length;
    for (let i = 0; i < m; i++) {
      const u = r.nodes[i] as number;
      const a = i === 0 ? vt.startNode : (r.nodes[i - 1] as number);
      const b = i === m - 1 ? vt.endNode : (r.nodes[i + 1] as number);
      const g = (inst.dist[a * n + u] as number) + (inst.dist[u * n + b] as number) - (inst.dist[a * n + b] as number);
      gains.push({ u, g });
    }
  }
  gains.sort((x, y) => y.g - x.g || x.u - y.u);
  const out: number[] = [];
  for (let i = 0; i < q && gains.length > 0; i++) {
    const j = biasedIndex(rng, gains.length, 4);
    out.push((gains[j] as { u: number }).u);
    gains.splice(j, 1);
  }
  s.remove(out);
}

/** Shaw removal: stops close in space, time and demand to ones already removed. */
export function shawRemoval(s: Solution, q: number, rng: Rng, nb: Neighbours, rel: Relatedness): void {
  const inst = s.inst;
  const n = inst.nodeCount;
  const all = assignedStops(s);
  if (all.length === 0) return;
  const removed = new Set<number>();
  const out: number[] = [];
  const take = (u: number): void => {
    removed.add(u);
    out.push(u);
  };
  take(all[rng.int(all.length)] as number);
  const cand: { v: number; r: number }[] = [];
  while (out.length < q && out.length < all.length) {
    const ref = out[rng.int(out.length)] as number;
    cand.length = 0;
    for (let j = 0; j < nb.k; j++) {
      const v = nb.list[ref * nb.k + j] as number;
      if (removed.has(v) || s.routeOf[v] === -1) continue;
      let r = (inst.dist[ref * n + v] as number) / rel.maxDist;
      r += Math.abs((inst.demand[ref] as number) - (inst.demand[v] as number)) / rel.maxDemand;
      if (inst.hasTime) {
        const dr = (inst.ready[ref] as number) - (inst.ready[v] as number);
        if (Number.isFinite(dr)) r += (3 * Math.abs(dr)) / rel.maxTime;
      }
      if (s.routeOf[v] === s.routeOf[ref]) r -= 0.1;
      cand.push({ v, r });
    }
    if (cand.length === 0) {
      // Neighbourhood exhausted: jump to a random remaining stop.
      const rest = all.filter((u) => !removed.has(u));
      if (rest.length === 0) break;
      take(rest[rng.int(rest.length)] as number);
      continue;
    }
    cand.sort((a, b) => a.r - b.r || a.v - b.v);
    take((cand[biasedIndex(rng, cand.length, 6)] as { v: number }).v);
  }
  s.remove(out);
}

/** Removes a whole route, preferring short ones: lets the fleet shrink. */
export function routeRemoval(s: Solution, rng: Rng): void {
  if (s.routes.length === 0) return;
  const a = s.routes[rng.int(s.routes.length)] as Route;
  const b = s.routes[rng.int(s.routes.length)] as Route;
  const r = a.nodes.length <= b.nodes.length ? a : b;
  s.remove(r.nodes.slice());
}

/**
 * String removal (slack induction by string removals): cuts consecutive
 * strings out of several routes near a seed, leaving slack that a greedy
 * repair can use to rebuild the area.
 */
export function stringRemoval(s: Solution, avgRemoved: number, rng: Rng, nb: Neighbours): void {
  const all = assignedStops(s);
  if (all.length === 0 || s.routes.length === 0) return;
  const avgCard = all.length / s.routes.length;
  const lMax = Math.max(1, Math.min(10, avgCard));
  const ksMax = Math.max(1, (4 * avgRemoved) / (1 + lMax) - 1);
  const ks = Math.floor(rng.range(1, ksMax + 1));
  const seed = all[rng.int(all.length)] as number;
  const ruined = new Set<number>();
  const out: number[] = [];
  const visit = (v: number): void => {
    const ri = s.routeOf[v] as number;
    if (ri < 0 || ruined.has(ri) || ruined.size >= ks) return;
    ruined.add(ri);
    const r = s.routes[ri] as Route;
    const m = r.nodes.length;
    const len = Math.floor(rng.range(1, Math.min(m, lMax) + 1));
    const p = s.posOf[v] as number;
    // Random string of length len that contains position p.
    const lo = Math.max(0, p - len + 1);
    const hi = Math.min(p, m - len);
    const from = lo + rng.int(hi - lo + 1);
    for (let i = from; i < from + len; i++) out.push(r.nodes[i] as number);
  };
  visit(seed);
  for (let j = 0; j < nb.k && ruined.size < ks; j++) visit(nb.list[seed * nb.k + j] as number);
  s.remove(out);
}
