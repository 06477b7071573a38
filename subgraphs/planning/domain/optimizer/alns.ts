import type { Instance } from './instance.ts';
import { greedyRepair, regretRepair, type InsertionOrder } from './insertion.ts';
import { LocalSearch } from './local-search.ts';
import type { Neighbours } from './neighbours.ts';
import { ejectAndRefill, repairCapacity } from './capacity-repair.ts';
import { repackRegion } from './packing-construction.ts';
import { exactDescent } from './exact-repack.ts';
import { refillRepair } from './refill-repair.ts';
import { initialCapacityPenalty } from './penalty.ts';
import { capacityWeight, squeeze } from './squeeze.ts';
import { routeTimeWarp } from './time-warp.ts';
import { randomRemoval, relatednessScales, routeRemoval, shawRemoval, stringRemoval, worstRemoval } from './removal.ts';
import type { Rng } from './rng.ts';
import type { Route } from './route.ts';
import type { Solution } from './solution.ts';

export interface AlnsContext {
  nb: Neighbours;
  rng: Rng;
  ls: LocalSearch;
  /** True once the time budget is spent. */
  stop: () => boolean;
  maxIterations: number;
  tuning?: AlnsTuning;
  /**
   * Tight fleet: price overloads instead of forbidding them, keep the
   * current plan feasible, re-pack routes (see "Tight fleets" in
   * docs/optimizer.md). The caller decides: construction left stops out.
   */
  penalised?: boolean;
  /** Compare plans by vehicles before distance (after served stops). */
  vehiclesFirst?: boolean;
  /** Return as soon as a plan serving every routable stop is found. */
  stopWhenComplete?: boolean;
}

/** Knobs for experiments; defaults are the tuned values. */
export interface AlnsTuning {
  /** Run local search after every repair, only on candidates near the best, or never. */
  ls?: 'always' | 'promising' | 'never';
  t0?: number;
  tEnd?: number;
  qMax?: number;
  cycle?: number;
}

export interface AlnsOutcome {
  best: Solution;
  iterations: number;
  /** Iteration at which the returned best was found. */
  bestIteration: number;
}

const DESTROY = ['random', 'worst', 'shaw', 'route', 'string'] as const;
/**
 * Most exact re-packings (pairs and triples of nearby routes) per polish of
 * the best plan in tight mode; a pass over a fresh planted plan of 100-200
 * stops takes about this many.
 */
const EXACT_TRIES = 400;
/** Share of tight-mode iterations that re-pack routes instead of destroy and repair. */
const REPACK_SHARE = 0.3;
// 'refill' comes first and has weight 0 unless the fleet is tight, so that
// loose instances draw exactly the operators (and random numbers) they did.
const REPAIR = ['refill', 'greedy-random', 'greedy-demand', 'greedy-far', 'greedy-close', 'regret2'] as const;

/**
 * Lexicographic objective: served stops, then distance, then vehicles (or
 * served stops, vehicles, distance with `vehiclesFirst`).
 */
export function isBetter(a: Solution, aDist: number, b: Solution, bDist: number, vehiclesFirst = false): boolean {
  if (a.unassigned.length !== b.unassigned.length) return a.unassigned.length < b.unassigned.length;
  if (vehiclesFirst && a.routes.length !== b.routes.length) return a.routes.length < b.routes.length;
  const tol = 1e-9 * Math.max(1, Math.abs(bDist));
  if (aDist < bDist - tol) return true;
  if (aDist > bDist + tol) return false;
  return a.routes.length < b.routes.length;
}

/** Roulette wheel over adaptive weights. */
function pick(weights: Float64Array, rng: Rng): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x <= 0 && (weights[i] as number) > 0) return i;
  }
  return weights.length - 1;
}

/**
 * Adaptive large neighbourhood search with simulated-annealing acceptance
 * and granular local search on the routes each repair touched.
 *
 * The cooling schedule depends only on the iteration number (cycles of
 * doubling length, each restarting from the best solution), never on the
 * clock: for a seed, the trajectory is fixed and the budget only decides
 * where it stops.
 */
export function runAlns(inst: Instance, initial: Solution, ctx: AlnsContext): AlnsOutcome {
  const { nb, rng, ls, stop } = ctx;
  const routable = initial.routes.reduce((a, r) => a + r.nodes.length, 0) + initial.unassigned.length;
  let maxDist = 0;
  for (const d of inst.dist) if (d > maxDist) maxDist = d;
  // Leaving a stop out must always look worse than any detour to serve it.
  const penalty = 4 * maxDist + 1;
  // Capacity penalty per vehicle of excess; Infinity while the search stays feasible.
  const lambda0 = initialCapacityPenalty(inst);
  let lambda = ctx.penalised ? lambda0 : Infinity;
  // Time warp price per unit of lateness, in the penalised mode on instances with time
  // limits; Infinity keeps windows hard. Starts at the distance one unit of time drives.
  const warp0 = distancePerTime(inst);
  let warpLambda = ctx.penalised && inst.hasTime ? warp0 : Infinity;
  const cost = (s: Solution, dist: number): number =>
    dist +
    penalty * s.unassigned.length +
    (lambda === Infinity ? 0 : lambda * s.excess()) +
    (warpLambda === Infinity ? 0 : warpLambda * solutionWarp(s));
  const feasible = (s: Solution): boolean => s.excess() === 0 && solutionWarp(s) === 0;
  const squeezeWeight = capacityWeight(inst);
  let timeFeasibleSeen = 0;
  const vf = ctx.vehiclesFirst ?? false;
  let feasibleSeen = 0;
  let candidatesSeen = 0;
  const fix = initial.clone();

  let current = initial.clone();
  let currentDist = current.distance();
  let best = initial.clone();
  let bestDist = currentDist;
  let bestIteration = 0;
  const cand = initial.clone();
  if (routable === 0) return { best, iterations: 0, bestIteration: 0 };
  if (ctx.stopWhenComplete && best.unassigned.length === 0) return { best, iterations: 0, bestIteration: 0 };

  const rel = relatednessScales(initial);
  const dW = new Float64Array(DESTROY.length).fill(1);
  const rW = new Float64Array(REPAIR.length).fill(1);
  rW[0] = lambda === Infinity ? 0 : 1;
  const dScore = new Float64Array(DESTROY.length);
  const rScore = new Float64Array(REPAIR.length);
  const dUses = new Float64Array(DESTROY.length);
  const rUses = new Float64Array(REPAIR.length);
  const SEGMENT = 100;
  const REACTION = 0.2;

  const perStop = Math.max(1e-9, cost(current, currentDist) / routable);
  const tune = ctx.tuning ?? {};
  const t0 = (tune.t0 ?? 0.1) * perStop;
  const tEnd = (tune.tEnd ?? 0.002) * perStop;
  const qMin = Math.min(routable, 3);
  const qMax = Math.max(qMin, Math.min(routable, Math.max(8, Math.round(0.12 * routable)), tune.qMax ?? 40));
  // Up to 200 stops, short first cycles: a 1 s run on 100 stops makes 2,000-6,000 iterations, and
  // on the published CVRP and Solomon sets several cool-downs from the best beat one long one that
  // never gets cold (docs/optimizer.md, "Published instances"). Larger instances showed no gain.
  const baseCycle = tune.cycle ?? (routable <= 200 ? Math.max(1000, 10 * routable) : Math.max(2000, 50 * routable));
  let cycleStart = 0;
  let cycleLen = baseCycle;

  // Tight mode: the best plan re-packed exactly, two and three nearby routes at a time
  // (exact-repack.ts), when a cycle restarts from it and at the end; single-stop moves
  // cannot regroup vehicles that must stay full. Only then, so the cost stays bounded.
  const polishExactly = (): void => {
    if (lambda === Infinity || exactDescent(best, nb, EXACT_TRIES, stop) === 0) return;
    bestDist = best.distance();
    bestIteration = it;
  };

  const oldRoutes = new Set<Route>();
  let it = 0;
  for (; it < ctx.maxIterations; it++) {
    if (stop()) break;
    if (it - cycleStart >= cycleLen) {
      // Reheat from the best solution with a longer cycle.
      cycleStart = it;
      cycleLen *= 2;
      polishExactly();
      current.copyFrom(best);
      currentDist = bestDist;
    }
    const progress = (it - cycleStart) / cycleLen;
    const temperature = t0 * Math.pow(tEnd / t0, progress);

    cand.copyFrom(current);
    // Tight mode, now and then: re-pack a few neighbouring routes whole
    // instead of destroying and repairing single stops (packing-construction.ts).
    let di = -1;
    let ri = -1;
    const repacked =
      lambda !== Infinity && current.unassigned.length === 0 && rng.next() < REPACK_SHARE && repackRegion(cand, nb, rng, 2 + rng.int(3), 4);
    if (!repacked) {
      const q = qMin + rng.int(qMax - qMin + 1);
      di = pick(dW, rng);
      switch (DESTROY[di]) {
        case 'random':
          randomRemoval(cand, q, rng);
          break;
        case 'worst':
          worstRemoval(cand, q, rng);
          break;
        case 'shaw':
          shawRemoval(cand, q, rng, nb, rel);
          break;
        case 'route':
          routeRemoval(cand, rng);
          break;
        default:
          stringRemoval(cand, q, rng, nb);
      }
      ri = pick(rW, rng);
      const repair = REPAIR[ri] as (typeof REPAIR)[number];
      if (repair === 'regret2') regretRepair(cand, rng, lambda, warpLambda);
      else if (repair === 'refill') {
        // Fill rooms exactly first; whatever is left goes in greedily (overloading at a price).
        refillRepair(cand, rng);
        if (cand.unassigned.length > 0) greedyRepair(cand, nb, rng, 'demand', 0, lambda, warpLambda);
      } else greedyRepair(cand, nb, rng, repair.slice(7) as InsertionOrder, 0.01, lambda, warpLambda);
    }
    // A re-packed plan is feasible: keep it so.
    ls.penalty = repacked ? Infinity : lambda;

    // Local search only where the repair changed something.
    oldRoutes.clear();
    for (const r of current.routes) oldRoutes.add(r);
    const seeds: number[] = [];
    for (const r of cand.routes) if (!oldRoutes.has(r)) for (const u of r.nodes) seeds.push(u);
    const lsMode = tune.ls ?? 'always';
    if (lsMode === 'always' || (lsMode === 'promising' && cost(cand, cand.distance()) < cost(current, currentDist) * 1.02)) {
      ls.run(cand, rng, seeds, stop);
    }

    let score = 0;
    if (lambda !== Infinity && !repacked) {
      const fits = cand.excess() === 0;
      const onTime = solutionWarp(cand) === 0;
      candidatesSeen++;
      if (fits) feasibleSeen++;
      if (onTime) timeFeasibleSeen++;
      if (!onTime && rng.next() < 0.5) {
        // Late somewhere: squeeze (moves that lower time warp and overload until none is
        // left, squeeze.ts), then polish feasibly as below.
        fix.copyFrom(cand);
        if (squeeze(fix, nb, squeezeWeight)) {
          ls.penalty = Infinity;
          ls.run(fix, rng, null, stop);
          cand.copyFrom(fix);
        }
        ls.penalty = lambda;
      } else if (onTime && !fits && rng.next() < 0.5) {
        // Repair towards feasibility half the time, as hybrid genetic search
        // does: bin-packing moves between any two routes, or else taking
        // stops out of overloaded routes and refilling rooms exactly. A
        // repaired plan is polished feasibly and replaces the candidate.
        fix.copyFrom(cand);
        let ok = repairCapacity(fix, 4);
        if (!ok) {
          fix.copyFrom(cand);
          ok = ejectAndRefill(fix, (x) => refillRepair(x, rng), (x) => greedyRepair(x, nb, rng, 'demand', 0));
        }
        if (ok) {
          ls.penalty = Infinity;
          ls.run(fix, rng, null, stop);
          cand.copyFrom(fix);
        }
        ls.penalty = lambda;
      }
    }
    const candDist = cand.distance();
    const cCost = cost(cand, candDist);
    const curCost = cost(current, currentDist);
    if ((lambda === Infinity || feasible(cand)) && isBetter(cand, candDist, best, bestDist, vf)) {
      best.copyFrom(cand);
      bestDist = candDist;
      bestIteration = it;
      score = 33;
    }
    if (lambda !== Infinity && !feasible(cand)) {
      // Overloaded candidates only feed the repair above: the current plan
      // stays feasible, which on fleets without slack kept the search
      // improving instead of drifting among plans it could not repair.
    } else if (cCost < curCost - 1e-9) {
      if (score === 0) score = 9;
      current.copyFrom(cand);
      currentDist = candDist;
    } else if (rng.next() < Math.exp((curCost - cCost) / temperature)) {
      if (score === 0 && cCost > curCost + 1e-9) score = 13;
      current.copyFrom(cand);
      currentDist = candDist;
    }
    if (di >= 0 && ri >= 0) {
      dScore[di] = (dScore[di] as number) + score;
      rScore[ri] = (rScore[ri] as number) + score;
      dUses[di] = (dUses[di] as number) + 1;
      rUses[ri] = (rUses[ri] as number) + 1;
    }
    if ((it + 1) % SEGMENT === 0) {
      adapt(dW, dScore, dUses, REACTION);
      adapt(rW, rScore, rUses, REACTION);
      if (lambda !== Infinity && candidatesSeen > 0) {
        // Keep about a fifth of the candidates feasible: a cheap price lets
        // the search wander far from feasible plans, a dear one freezes it.
        const share = feasibleSeen / candidatesSeen;
        if (share < 0.15) lambda = Math.min(lambda * 1.3, lambda0 * 1e4);
        else if (share > 0.25) lambda = Math.max(lambda * 0.8, lambda0 * 1e-3);
        if (warpLambda !== Infinity) {
          const onTime = timeFeasibleSeen / candidatesSeen;
          if (onTime < 0.15) warpLambda = Math.min(warpLambda * 1.3, warp0 * 1e4);
          else if (onTime > 0.25) warpLambda = Math.max(warpLambda * 0.8, warp0 * 1e-3);
        }
        feasibleSeen = 0;
        timeFeasibleSeen = 0;
        candidatesSeen = 0;
      }
    }
    if (ctx.stopWhenComplete && best.unassigned.length === 0) {
      it++;
      break;
    }
  }
  polishExactly();
  ls.penalty = Infinity;
  return { best, iterations: it, bestIteration };
}

/** Total time warp of a plan; zero when every route keeps its windows and shift. */
function solutionWarp(s: Solution): number {
  let w = 0;
  for (const r of s.routes) if (!r.timeOk) w += routeTimeWarp(s.inst, r);
  return w;
}

/** Average distance driven per unit of travel time (1 on the research instances). */
function distancePerTime(inst: Instance): number {
  let d = 0;
  let t = 0;
  for (let i = 0; i < inst.dist.length; i++) {
    d += inst.dist[i] as number;
    t += inst.time[i] as number;
  }
  return t > 0 && d > 0 ? d / t : 1;
}

function adapt(w: Float64Array, score: Float64Array, uses: Float64Array, reaction: number): void {
  for (let i = 0; i < w.length; i++) {
    const u = uses[i] as number;
    if (u > 0) w[i] = Math.max(0.05, (1 - reaction) * (w[i] as number) + (reaction * (score[i] as number)) / u);
    score[i] = 0;
    uses[i] = 0;
  }
}
