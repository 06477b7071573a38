import { runAlns, type AlnsOutcome, type AlnsTuning } from './alns.ts';
import { binPackingBound } from './fleet-bound.ts';
import type { Instance } from './instance.ts';
import type { LocalSearch } from './local-search.ts';
import type { Neighbours } from './neighbours.ts';
import type { Rng } from './rng.ts';
import type { Route } from './route.ts';
import type { Solution } from './solution.ts';

export interface PhaseBudget {
  /** True once `fraction` of the whole budget (time or iterations) is spent. */
  stopAt: (fraction: number) => () => boolean;
  /** Iterations left before `fraction` of the iteration budget (Infinity without one). */
  iterationsUntil: (fraction: number, used: number) => number;
  /** Share of the time budget spent so far. */
  spent: () => number;
}

export interface VehiclesFirstContext {
  nb: Neighbours;
  rng: Rng;
  ls: LocalSearch;
  budget: PhaseBudget;
  tuning?: AlnsTuning;
  penalised: boolean;
}

/**
 * Vehicles first, then distance, as the published VRPTW best solutions are
 * ranked. A usual search (a third of the budget) finds a plan serving every
 * stop; then, while time remains (up to 80%), its lightest route is
 * dissolved and the search runs with one vehicle fewer (overloads priced,
 * stops left out priced above any detour, at most a fifth of the budget per
 * attempt) until every stop is back in; the
 * rest of the budget shortens the plan with the smallest fleet found.
 */
export function vehiclesFirst(inst: Instance, initial: Solution, ctx: VehiclesFirstContext): AlnsOutcome {
  const { nb, rng, ls, budget } = ctx;
  const base = { nb, rng, ls, vehiclesFirst: true, ...(ctx.tuning ? { tuning: ctx.tuning } : {}) };
  let used = 0;
  const first = runAlns(inst, initial, { ...base, stop: budget.stopAt(1 / 3), maxIterations: budget.iterationsUntil(1 / 3, used), penalised: ctx.penalised });
  used += first.iterations;
  let best = first.best;
  let bestIteration = first.bestIteration;
  const minRoutes = fewestVehicles(inst, best);
  while (best.unassigned.length === 0 && best.routes.length > minRoutes && !budget.stopAt(0.8)()) {
    const fewer: Instance = { ...inst, maxVehicles: best.routes.length - 1 };
    const start = best.withInstance(fewer);
    start.remove([...lightest(start.routes).nodes]);
    // One attempt gets at most a fifth of the budget: one that has not
    // found room by then rarely does, and its time is the distance search's.
    const until = Math.min(0.8, budget.spent() + 0.2);
    const attempt = runAlns(fewer, start, {
      ...base,
      stop: budget.stopAt(until),
      maxIterations: Math.min(budget.iterationsUntil(0.8, used), Math.max(1, budget.iterationsUntil(0.2, 0))),
      penalised: true,
      stopWhenComplete: true,
    });
    used += attempt.iterations;
    if (attempt.best.unassigned.length > 0) break;
    best = attempt.best.withInstance(inst);
    bestIteration = used;
  }
  const fleet: Instance = { ...inst, maxVehicles: Math.min(inst.maxVehicles, best.routes.length) };
  const last = runAlns(fleet, best.withInstance(fleet), { ...base, stop: budget.stopAt(1), maxIterations: budget.iterationsUntil(1, used), penalised: ctx.penalised });
  if (last.iterations > 0 && last.bestIteration > 0) bestIteration = used + last.bestIteration;
  used += last.iterations;
  return { best: last.best.withInstance(inst), iterations: used, bestIteration };
}

/** Capacity lower bound on the routes of a plan serving the same stops. */
function fewestVehicles(inst: Instance, s: Solution): number {
  const demands: number[] = [];
  for (const r of s.routes) for (const u of r.nodes) demands.push(inst.demand[u] as number);
  const Q = Math.max(...inst.vehicleTypes.map((t) => t.capacity));
  return Math.max(1, binPackingBound(demands, Q));
}

/** The route with the fewest stops (then the least load): the cheapest to re-home. */
function lightest(routes: readonly Route[]): Route {
  let pick = routes[0] as Route;
  for (const r of routes) if (r.nodes.length < pick.nodes.length || (r.nodes.length === pick.nodes.length && r.load < pick.load)) pick = r;
  return pick;
}
