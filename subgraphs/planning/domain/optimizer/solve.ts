import { isBetter, runAlns, type AlnsContext, type AlnsOutcome, type AlnsTuning } from './alns.ts';
import { i1Construction, savingsConstruction } from './construction.ts';
import { fleetShortfall } from './fleet-bound.ts';
import { greedyRepair } from './insertion.ts';
import { buildInstance, type Instance, type VehicleType } from './instance.ts';
import { LocalSearch } from './local-search.ts';
import { packedConstruction } from './packing-construction.ts';
import type { Objective } from './problem-input.ts';
import { vehiclesFirst } from './vehicles-first.ts';
import { buildNeighbours } from './neighbours.ts';
import { createRng } from './rng.ts';
import type { Route } from './route.ts';
import { Solution } from './solution.ts';
import { describeUnserved, intrinsicReason, type UnservedStop } from './unserved.ts';

export interface SolveOptions {
  /** PRNG seed; default 1. */
  seed?: number;
  /** Wall-clock budget in ms for the whole solve; default 1000. */
  timeLimitMs?: number;
  /** Stop after this many ALNS iterations (for reproducible runs); default unlimited. */
  maxIterations?: number;
  /** Milliseconds clock; default performance.now. Injected so tests can control time. */
  clock?: () => number;
  /** Granular neighbourhood size; default 20. */
  neighbours?: number;
  /** Search knobs for experiments (see AlnsTuning). */
  tuning?: AlnsTuning;
  /**
   * `distance` (default): serve most stops, then shortest total distance.
   * `vehicles-first`: serve most stops, then fewest vehicles, then distance.
   * Overrides the problem's own `objective`.
   */
  objective?: Objective;
}

export interface RouteResult {
  vehicleId: string;
  /** Stop ids in visiting order. */
  stops: string[];
  /** 0-based indices into the input `stops` array. */
  stopIndices: number[];
  distance: number;
  load: number;
  volume: number;
  /** Earliest service start at each stop. */
  serviceStarts: number[];
  /** Arrival back at the end depot. */
  returnTime: number;
}

export interface SolveResult {
  name: string;
  routes: RouteResult[];
  totalDistance: number;
  vehiclesUsed: number;
  unserved: UnservedStop[];
  stats: {
    seed: number;
    iterations: number;
    bestIteration: number;
    elapsedMs: number;
    constructionDistance: number;
  };
}

/** Validates a native problem (throws OptimizerInputError) and solves it. */
export function solve(problem: unknown, options: SolveOptions = {}): SolveResult {
  return solveInstance(buildInstance(problem), options);
}

export function solveInstance(inst: Instance, options: SolveOptions = {}): SolveResult {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const budget = options.timeLimitMs ?? 1000;
  const seed = options.seed ?? 1;
  const stop = (): boolean => clock() - started >= budget;
  const rng = createRng(seed);
  const nb = buildNeighbours(inst, options.neighbours ?? 20);
  const ls = new LocalSearch(inst, nb);

  const routable: number[] = [];
  const excluded: number[] = [];
  for (let u = inst.depotCount; u < inst.nodeCount; u++) {
    if (intrinsicReason(inst, u)) excluded.push(u);
    else routable.push(u);
  }

  let initial = construct(inst, routable, nb);
  if (initial.unassigned.length > 0) greedyRepair(initial, nb, rng, 'demand', 0);
  // The fleet is tight: the usual constructions strand stops. Filling each
  // vehicle as exactly as possible often serves them all. When a bound proves
  // that no plan serves them all, there is nothing for that search to find:
  // the usual one chooses which stops to serve by distance.
  const tight = initial.unassigned.length > 0 && fleetShortfall(inst, routable) === null;
  if (tight) {
    const packed = packedConstruction(inst, routable, rng, routable.length <= 300 ? 16 : 4);
    if (packed && packed.unassigned.length < initial.unassigned.length) initial = packed;
  }
  const constructionDistance = initial.distance();
  ls.run(initial, rng, null, stop);

  const objective = options.objective ?? inst.objective;
  const maxIterations = options.maxIterations ?? Infinity;
  const outcome =
    objective === 'vehicles-first'
      ? vehiclesFirst(inst, initial, {
          nb,
          rng,
          ls,
          penalised: tight,
          ...(options.tuning ? { tuning: options.tuning } : {}),
          budget: {
            stopAt: (f) => () => clock() - started >= f * budget,
            iterationsUntil: (f, used) => Math.max(0, Math.floor(f * maxIterations) - used),
            spent: () => (clock() - started) / budget,
          },
        })
      : tight
        ? tightStarts(inst, initial, routable, { nb, rng, ls, maxIterations, ...(options.tuning ? { tuning: options.tuning } : {}) }, (share) => () => clock() - started >= share * budget)
        : runAlns(inst, initial, {
            nb,
            rng,
            ls,
            stop,
            maxIterations,
            ...(options.tuning ? { tuning: options.tuning } : {}),
          });
  const best = outcome.best;
  const elapsedMs = clock() - started;
  return {
    name: inst.name,
    ...describeSolution(inst, best, excluded),
    stats: { seed, iterations: outcome.iterations, bestIteration: outcome.bestIteration, elapsedMs, constructionDistance: tidy(constructionDistance) },
  };
}

/**
 * Independent searches on a tight fleet, each with an equal share of the
 * budget; the best plan wins. With every vehicle (nearly) full the search
 * stops improving early (on a planted 100-stop instance the plan of 30,000
 * iterations is the one found at iteration 1,410), and different starts end
 * in plans a few percent apart; two starts of half the budget did better
 * than one on the planted instances (docs/optimizer.md, "Tight fleets").
 */
export const TIGHT_STARTS = 2;

function tightStarts(
  inst: Instance,
  initial: Solution,
  routable: readonly number[],
  ctx: Omit<AlnsContext, 'stop' | 'penalised'>,
  stopAt: (share: number) => () => boolean,
): AlnsOutcome {
  let out: AlnsOutcome | null = null;
  let iterations = 0;
  for (let k = 0; k < TIGHT_STARTS; k++) {
    let from = initial;
    if (k > 0) {
      // Another exact-fill packing (the random stream has moved on), polished like the first.
      const packed = packedConstruction(inst, routable, ctx.rng, routable.length <= 300 ? 16 : 4);
      from = packed && packed.unassigned.length <= initial.unassigned.length ? packed : initial.clone();
      ctx.ls.run(from, ctx.rng, null, stopAt(1));
    }
    const share = (k + 1) / TIGHT_STARTS;
    const maxIterations = ctx.maxIterations === Infinity ? Infinity : Math.floor((share * ctx.maxIterations)) - iterations;
    // Construction could not fit every stop into the fleet: search through
    // overloaded plans from the start instead of waiting for a cycle to end.
    const o = runAlns(inst, from, { ...ctx, maxIterations, stop: stopAt(share), penalised: true });
    if (!out || isBetter(o.best, o.best.distance(), out.best, out.best.distance())) out = { best: o.best, iterations: 0, bestIteration: iterations + o.bestIteration };
    iterations += o.iterations;
  }
  return { ...(out as AlnsOutcome), iterations };
}

/** Savings for homogeneous fleets, Solomon I1 otherwise or when it does better. */
function construct(inst: Instance, routable: readonly number[], nb: ReturnType<typeof buildNeighbours>): Solution {
  const candidates: Solution[] = [];
  if (inst.vehicleTypes.length === 1) candidates.push(savingsConstruction(inst, routable, nb));
  if (inst.hasTime || inst.vehicleTypes.length > 1) {
    candidates.push(i1Construction(inst, routable, { mu: 1, lambda: 1, alpha1: 0.5 }));
    if (routable.length <= 300) candidates.push(i1Construction(inst, routable, { mu: 1, lambda: 2, alpha1: 1 }));
  }
  let best = candidates[0] as Solution;
  for (const c of candidates) if (isBetter(c, c.distance(), best, best.distance())) best = c;
  return best;
}

function routableStops(inst: Instance, excluded: readonly number[]): number[] {
  const out = new Set<number>();
  for (let u = inst.depotCount; u < inst.nodeCount; u++) out.add(u);
  for (const u of excluded) out.delete(u);
  return [...out];
}

/** Rounds away float noise (0.1 + 0.2) without touching meaningful digits. */
export function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

function describeSolution(inst: Instance, sol: Solution, excluded: readonly number[]): Omit<SolveResult, 'name' | 'stats'> {
  const counters = new Int32Array(inst.vehicleTypes.length);
  const routes = sol.routes
    .slice()
    .sort((a, b) => a.type - b.type || (a.nodes[0] as number) - (b.nodes[0] as number))
    .map((r: Route): RouteResult => {
      const vt = inst.vehicleTypes[r.type] as VehicleType;
      const k = (counters[r.type] = (counters[r.type] as number) + 1);
      const last = r.nodes[r.nodes.length - 1] as number;
      const lastStart = r.start[r.nodes.length - 1] as number;
      return {
        vehicleId: vt.count === 1 ? vt.id : `${vt.id}#${k}`,
        stops: r.nodes.map((u) => inst.nodeIds[u] as string),
        stopIndices: r.nodes.map((u) => u - inst.depotCount),
        distance: tidy(r.distance),
        load: tidy(r.load),
        volume: tidy(r.volume),
        serviceStarts: Array.from(r.start, tidy),
        returnTime: tidy(lastStart + (inst.service[last] as number) + (inst.time[last * inst.nodeCount + vt.endNode] as number)),
      };
    });
  // Only the fleet-limited stops need the proof; the routable ones are those not excluded.
  const shortfall = sol.unassigned.length > 0 ? fleetShortfall(inst, routableStops(inst, excluded)) : null;
  const unserved = [...excluded, ...sol.unassigned].sort((a, b) => a - b).map((u) => describeUnserved(inst, u, shortfall));
  return {
    routes,
    totalDistance: tidy(sol.distance()),
    vehiclesUsed: routes.length,
    unserved,
  };
}
