import { runAlns, type AlnsOutcome, type AlnsTuning } from './alns.ts';
import { binPackingBound, timeWindowBound } from './fleet-bound.ts';
import type { Instance } from './instance.ts';
import type { LocalSearch } from './local-search.ts';
import type { Neighbours } from './neighbours.ts';
import { eliminateRoute } from './route-elimination.ts';
import type { Rng } from './rng.ts';
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
 * ranked. A usual search (a fifth of the budget) finds a plan serving every
 * stop; then, while the plan has more routes than a lower bound allows (by
 * demand and by time-window conflicts) and up to 70% of the budget, one route
 * at a time is removed and its stops re-homed through an ejection pool with
 * time warp and overload priced (`route-elimination.ts`); the first failure
 * gives the route back and ends the phase. The rest of the budget shortens
 * the plan with the smallest fleet found (in the penalised mode when there
 * are time limits). Each ejection-pool step counts as one iteration of an
 * iteration budget.
 */
export function vehiclesFirst(inst: Instance, initial: Solution, ctx: VehiclesFirstContext): AlnsOutcome {
  const { nb, rng, ls, budget } = ctx;
  const base = { nb, rng, ls, vehiclesFirst: true, ...(ctx.tuning ? { tuning: ctx.tuning } : {}) };
  let used = 0;
  const first = runAlns(inst, initial, { ...base, stop: budget.stopAt(FIRST_SHARE), maxIterations: budget.iterationsUntil(FIRST_SHARE, used), penalised: ctx.penalised });
  used += first.iterations;
  let best = first.best;
  let bestIteration = first.bestIteration;
  const minRoutes = fewestVehicles(inst, best);
  const stopEliminating = budget.stopAt(ELIMINATION_END);
  let removed = false;
  while (best.unassigned.length === 0 && best.routes.length > minRoutes && !stopEliminating()) {
    const fewer: Instance = { ...inst, maxVehicles: best.routes.length - 1 };
    const maxSteps = Math.min(budget.iterationsUntil(ELIMINATION_END, used), stepsPerAttempt(inst));
    if (maxSteps <= 0) break;
    const attempt = eliminateRoute(best.withInstance(fewer), { rng, nb, stop: stopEliminating, maxSteps });
    used += attempt.steps;
    if (!attempt.solution) break;
    ls.run(attempt.solution, rng, null, stopEliminating);
    best = attempt.solution.withInstance(inst);
    bestIteration = used;
    removed = true;
  }
  const fleet: Instance = { ...inst, maxVehicles: Math.min(inst.maxVehicles, best.routes.length) };
  // A route removed leaves the fleet tight: with time limits, let the distance search
  // cross late and overloaded plans (time warp priced, alns.ts); on Solomon's R1 and RC1
  // at 2,000 iterations this shortened the plans by 0.9% for 27% more processor time.
  // Where no route could go, the fleet has the slack the first search left, and the
  // feasible search makes about twice the iterations in the same time.
  const last = runAlns(fleet, best.withInstance(fleet), {
    ...base,
    stop: budget.stopAt(1),
    maxIterations: budget.iterationsUntil(1, used),
    penalised: ctx.penalised || (inst.hasTime && removed),
  });
  if (last.iterations > 0 && last.bestIteration > 0) bestIteration = used + last.bestIteration;
  used += last.iterations;
  return { best: last.best.withInstance(inst), iterations: used, bestIteration };
}

/** Share of the budget for the first, usual search. */
const FIRST_SHARE = 0.2;
/** Route elimination stops at this share of the budget, leaving the rest to distance. */
const ELIMINATION_END = 0.7;

/** Ejection-pool steps one route-removal attempt may take before the route is given back. */
function stepsPerAttempt(inst: Instance): number {
  return 2000 + 20 * inst.stopCount;
}

/** Lower bound on the routes of a plan serving the same stops: by capacity, and by time-window conflicts. */
function fewestVehicles(inst: Instance, s: Solution): number {
  const demands: number[] = [];
  const stops: number[] = [];
  for (const r of s.routes) {
    for (const u of r.nodes) {
      demands.push(inst.demand[u] as number);
      stops.push(u);
    }
  }
  const Q = Math.max(...inst.vehicleTypes.map((t) => t.capacity));
  return Math.max(1, binPackingBound(demands, Q), timeWindowBound(inst, stops));
}
