/**
 * Optimizer benchmark on seeded synthetic instances in the style of the
 * classical sets, or on a folder of published instance files.
 *
 *   npx tsx scripts/bench-optimizer.ts [--quick] [--sizes 30,50,100] [--long-seeds N] [--long-factor F]
 *   npx tsx scripts/bench-optimizer.ts --instances <dir> [--best-known <file.json>] [--time-limit s] [--seed n]
 *                                      [--fleet file|min|unlimited] [--objective distance|vehicles-first|both]
 *                                      [--distance-time-limit s] [--iterations n] [--only C1,RC2]
 *   npx tsx scripts/bench-optimizer.ts --planted [--sizes 100,150,200] [--seeds 1,2] [--time-limit s] [--iterations n]
 *   npx tsx scripts/bench-optimizer.ts --vrptw [--seeds 1,2] [--time-limit s]
 *
 * With --instances it solves every .vrp (TSPLIB/CVRPLIB) and .txt (Solomon)
 * file of the folder at the given budget (default: the CLI's) and prints the
 * gap to a best-known table, a JSON object of instance name (file name
 * without extension) -> best known cost, by default <dir>/best-known.json.
 * A value may also be { distance, vehicles, vehiclesFirstDistance }: the
 * best distance (any fleet) and the hierarchical best (fewest vehicles, then
 * distance), as published for Solomon's instances; vehicles-first runs are
 * then totalled against the hierarchical one. --iterations gives every run
 * an iteration budget instead of a time one (deterministic, load-free);
 * --distance-time-limit gives the distance objective its own time budget.
 * The instance files are third-party data: keep them outside the repository
 * (or under the git-ignored .cache/). --fleet sets the fleet: as in the file
 * (default; CVRPLIB names carry k), `min` (the fewest vehicles the total
 * demand allows) or `unlimited` (one per customer).
 *
 * --planted solves planted tight instances (generatePlanted: routes filled to
 * exactly the capacity, then shuffled) twice each: with the fleet fixed at
 * the planted k, and with an unlimited fleet. --vrptw solves Solomon-like
 * instances with both objectives (distance first, vehicles first).
 *
 * Per instance it reports time, cost, vehicles and gaps against
 *   exact  - brute-force optimum (tiny instances only),
 *   LB     - a cheap lower bound (spanning forest / radial; ignores windows),
 *   long   - the best of several longer runs with other seeds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bruteForce } from '../subgraphs/planning/domain/optimizer/testing/brute-force.ts';
import { checkSolution } from '../subgraphs/planning/domain/optimizer/feasibility.ts';
import { buildInstance, type Instance } from '../subgraphs/planning/domain/optimizer/instance.ts';
import { generateCvrp, generatePlanted, generateVrptw } from '../subgraphs/planning/domain/optimizer/testing/instance-generator.ts';
import { distanceLowerBound } from './optimizer/lower-bound.ts';
import { OBJECTIVES, type Objective, type ProblemInput } from '../subgraphs/planning/domain/optimizer/problem-input.ts';
import { formatFromFileName, parseProblem } from './optimizer/read-problem.ts';
import { solveInstance } from '../subgraphs/planning/domain/optimizer/solve.ts';
import { tinyInstance } from '../subgraphs/planning/domain/optimizer/testing/test-fixtures.ts';
import { UsageError } from './lib/command-line.ts';

interface Options {
  quick: boolean;
  sizes: number[];
  longSeeds: number;
  longFactor: number;
  instances?: string;
  bestKnown?: string;
  timeLimitMs?: number;
  seed: number;
  fleet: FleetMode;
  objectives: Objective[];
  planted: boolean;
  vrptw: boolean;
  seeds: number[];
  sizesGiven: boolean;
  iterations?: number;
  distanceTimeLimitMs?: number;
  only?: string[];
}

type FleetMode = 'file' | 'min' | 'unlimited';

function parseOptions(argv: string[]): Options {
  const opt: Options = {
    quick: false,
    sizes: [30, 50, 100, 200, 1000],
    longSeeds: 3,
    longFactor: 5,
    seed: 1,
    fleet: 'file',
    objectives: ['distance'],
    planted: false,
    vrptw: false,
    seeds: [1, 2],
    sizesGiven: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opt.quick = true;
    else if (a === '--sizes') {
      opt.sizes = (argv[++i] ?? '').split(',').map(Number).filter((x) => x > 0);
      opt.sizesGiven = true;
    } else if (a === '--seeds') opt.seeds = (argv[++i] ?? '').split(',').map(Number).filter((x) => Number.isInteger(x));
    else if (a === '--planted') opt.planted = true;
    else if (a === '--vrptw') opt.vrptw = true;
    else if (a === '--fleet') {
      const f = argv[++i];
      if (f !== 'file' && f !== 'min' && f !== 'unlimited') throw new Error(`--fleet must be file, min or unlimited, got ${f}`);
      opt.fleet = f;
    } else if (a === '--objective') {
      const o = argv[++i];
      if (o === 'both') opt.objectives = [...OBJECTIVES];
      else if ((OBJECTIVES as readonly (string | undefined)[]).includes(o)) opt.objectives = [o as Objective];
      else throw new Error(`--objective must be ${OBJECTIVES.join(', ')} or both, got ${o}`);
    }
    else if (a === '--long-seeds') opt.longSeeds = Number(argv[++i]);
    else if (a === '--long-factor') opt.longFactor = Number(argv[++i]);
    else if (a === '--instances') opt.instances = argv[++i];
    else if (a === '--best-known') opt.bestKnown = argv[++i];
    else if (a === '--time-limit') opt.timeLimitMs = Number(argv[++i]) * 1000;
    else if (a === '--seed') opt.seed = Number(argv[++i]);
    else if (a === '--iterations') opt.iterations = Number(argv[++i]);
    else if (a === '--distance-time-limit') opt.distanceTimeLimitMs = Number(argv[++i]) * 1000;
    else if (a === '--only') opt.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else throw new UsageError(`unknown option ${a}`);
  }
  if (opt.quick) {
    opt.longSeeds = Math.min(opt.longSeeds, 2);
    opt.longFactor = Math.min(opt.longFactor, 3);
    opt.sizes = opt.sizes.filter((s) => s <= 200);
  }
  return opt;
}

/** Budget the CLI would use: 1 s up to 200 stops, 5 ms per stop beyond. */
const budgetFor = (n: number): number => Math.min(10_000, Math.max(1000, n * 5));

interface Row {
  instance: string;
  n: number;
  ms: number;
  cost: number;
  vehicles: number;
  unserved: number;
  exact?: number;
  lb?: number;
  long?: number;
}

const pct = (cost: number, ref: number | undefined): string => {
  if (!ref || ref <= 0) return '-';
  const gap = (cost / ref - 1) * 100;
  // Float noise must not print as "-0.00%".
  return `${(Math.abs(gap) < 0.005 ? 0 : gap).toFixed(2)}%`;
};

function slackOf(p: ProblemInput): number {
  // Largest difference between a rounded and the true Euclidean distance.
  return p.rounding === 'nearest' ? 0.5 : p.rounding === 'ceil' ? 1 : p.rounding === 'truncate-1dp' ? 0.1 : 0;
}

function runOne(name: string, problem: ProblemInput, budgetMs: number, opt: Options, exact: boolean): Row {
  const inst: Instance = buildInstance(problem);
  process.stderr.write(`  ${name} (n=${inst.stopCount}) main run ${budgetMs} ms ...`);
  const started = performance.now();
  const r = solveInstance(inst, { seed: 1, timeLimitMs: budgetMs });
  const ms = performance.now() - started;
  const violations = checkSolution(inst, r);
  if (violations.length > 0) throw new Error(`${name}: infeasible solution: ${violations.join('; ')}`);
  const row: Row = { instance: name, n: inst.stopCount, ms, cost: r.totalDistance, vehicles: r.vehiclesUsed, unserved: r.unserved.length };
  if (exact) {
    const e = bruteForce(inst);
    if (e) row.exact = e.distance;
  } else {
    let best = r.totalDistance;
    for (let s = 0; s < opt.longSeeds; s++) {
      process.stderr.write(` long#${s + 1}`);
      const lr = solveInstance(inst, { seed: 1000 + s, timeLimitMs: budgetMs * opt.longFactor });
      if (lr.unserved.length <= r.unserved.length) best = Math.min(best, lr.totalDistance);
    }
    row.long = best;
    // The upper bound only steers the Lagrangian step size; the bound stays valid.
    if (r.unserved.length === 0) row.lb = distanceLowerBound(inst, slackOf(problem), { upperBound: best }).bound;
  }
  process.stderr.write(` done: ${row.cost}\n`);
  return row;
}

function printTable(rows: Row[]): void {
  const header = ['instance', 'n', 'time ms', 'cost', 'veh', 'unserved', 'gap exact', 'gap LB', 'gap long'];
  const body = rows.map((r) => [
    r.instance,
    String(r.n),
    r.ms.toFixed(0),
    String(Number(r.cost.toFixed(2))),
    String(r.vehicles),
    String(r.unserved),
    pct(r.cost, r.exact),
    pct(r.cost, r.lb),
    pct(r.cost, r.long),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

/** One solve of the fleet, planted and VRPTW modes: what was served, with how many vehicles, how far. */
interface RunRow {
  instance: string;
  family: string;
  n: number;
  fleet: string;
  objective: Objective;
  ms: number;
  served: number;
  unserved: number;
  vehicles: number;
  cost: number;
  /** Processor time of the solve (wall time on a shared machine says little). */
  cpuMs: number;
  iterations: number;
  best?: number;
  bestVehicles?: number;
  bestVehiclesFirstDistance?: number;
}

/** A best-known entry: a distance, or the distance-first and hierarchical (vehicles, then distance) bests. */
interface BestKnown {
  distance?: number;
  vehicles?: number;
  vehiclesFirstDistance?: number;
}

const bestKnownOf = (v: unknown): BestKnown | undefined =>
  typeof v === 'number' ? { distance: v } : v && typeof v === 'object' ? (v as BestKnown) : undefined;

/** Instance family for the averages: CVRPLIB set letter (A, B, P, X...) or Solomon class (C1, R1, RC1...). */
const familyOf = (name: string): string => /^([A-Z]+)-n\d+/i.exec(name)?.[1]?.toUpperCase() ?? /^(RC|R|C)(\d)/i.exec(name)?.slice(1, 3).join('').toUpperCase() ?? 'other';

/** The problem with its fleet replaced: `min` vehicles the total demand allows, or one per stop. */
function withFleet(problem: ProblemInput, mode: FleetMode): ProblemInput {
  if (mode === 'file') return problem;
  const { maxVehicles: _limit, ...rest } = problem;
  if (mode === 'unlimited') return { ...rest, vehicles: problem.vehicles.map((v) => ({ ...v, count: problem.stops.length })) };
  if (problem.vehicles.length !== 1) throw new Error(`${problem.name}: --fleet min needs a single vehicle type`);
  const v = problem.vehicles[0] as ProblemInput['vehicles'][number];
  const cap = typeof v.capacity === 'number' ? v.capacity : v.capacity.weight;
  const total = problem.stops.reduce((a, st) => a + (typeof st.demand === 'object' ? st.demand.weight : (st.demand ?? 0)), 0);
  return { ...rest, vehicles: [{ ...v, count: Math.max(1, Math.ceil(total / cap - 1e-9)) }] };
}

function runSolve(name: string, problem: ProblemInput, fleet: string, objective: Objective, budgetMs: number, seed: number, best: BestKnown | undefined, iterations?: number): RunRow {
  const inst = buildInstance(problem);
  const budget = iterations !== undefined ? `${iterations} iterations` : `${budgetMs} ms`;
  process.stderr.write(`  ${name} n=${inst.stopCount} fleet=${fleet} objective=${objective} ${budget} ... `);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const r = solveInstance(inst, iterations !== undefined ? { seed, objective, maxIterations: iterations, timeLimitMs: 3_600_000 } : { seed, timeLimitMs: budgetMs, objective });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const violations = checkSolution(inst, r);
  if (violations.length > 0) throw new Error(`${name}: infeasible solution: ${violations.join('; ')}`);
  const row: RunRow = {
    cpuMs: (cpu.user + cpu.system) / 1000,
    iterations: r.stats.iterations,
    instance: name,
    family: familyOf(name),
    n: inst.stopCount,
    fleet,
    objective,
    ms,
    served: inst.stopCount - r.unserved.length,
    unserved: r.unserved.length,
    vehicles: r.vehiclesUsed,
    cost: r.totalDistance,
  };
  if (best !== undefined) {
    row.best = best.distance;
    if (best.vehicles !== undefined) row.bestVehicles = best.vehicles;
    if (best.vehiclesFirstDistance !== undefined) row.bestVehiclesFirstDistance = best.vehiclesFirstDistance;
  }
  const ref = objective === 'vehicles-first' && row.bestVehicles !== undefined ? ` (best known ${row.bestVehicles} vehicles, ${row.bestVehiclesFirstDistance})` : row.best !== undefined ? ` (best known ${row.best}, ${pct(row.cost, row.best)})` : '';
  process.stderr.write(`served ${row.served}/${row.n}, ${row.vehicles} vehicles, distance ${row.cost}${ref}\n`);
  return row;
}

function printRuns(rows: RunRow[]): void {
  const header = ['instance', 'n', 'fleet', 'objective', 'time ms', 'served', 'unserved', 'veh', 'distance', 'best known', 'gap'];
  const body = rows.map((r) => [
    r.instance,
    String(r.n),
    r.fleet,
    r.objective,
    r.ms.toFixed(0),
    String(r.served),
    String(r.unserved),
    String(r.vehicles),
    String(Number(r.cost.toFixed(2))),
    String(r.best ?? '-'),
    pct(r.cost, r.best),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  console.log();
  const groups = new Map<string, RunRow[]>();
  for (const r of rows) {
    const key = `fleet ${r.fleet}, ${r.objective}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [key, group] of groups) {
    const full = group.filter((r) => r.unserved === 0);
    // Gaps count only instances solved completely against a known best.
    const scored = full.filter((r) => r.best !== undefined);
    const gaps = scored.map((r) => (r.cost / (r.best as number) - 1) * 100);
    const mean = gaps.length ? `mean gap ${(gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(2)}% (max ${Math.max(...gaps).toFixed(2)}%, ${gaps.length} with a best known)` : 'no best known';
    const veh = group.reduce((a, r) => a + r.vehicles, 0);
    const cpu = group.reduce((a, r) => a + r.cpuMs, 0);
    const its = group.reduce((a, r) => a + r.iterations, 0);
    console.log(`${key}: ${group.length} instances, every stop served on ${full.length}, ${veh} vehicles in all, ${mean}, slowest ${Math.max(...group.map((r) => r.ms)).toFixed(0)} ms, processor time ${(cpu / 1000).toFixed(1)} s, ${its} iterations in all`);
    const hier = group.filter((r) => r.bestVehicles !== undefined && r.bestVehiclesFirstDistance !== undefined);
    if (group[0]?.objective === 'vehicles-first' && hier.length > 0) {
      // Hierarchical comparison, as the published VRPTW bests are ranked: vehicles, then distance.
      const bv = hier.reduce((a, r) => a + (r.bestVehicles as number), 0);
      const hv = hier.reduce((a, r) => a + r.vehicles, 0);
      const hd = hier.reduce((a, r) => a + r.cost, 0);
      const bd = hier.reduce((a, r) => a + (r.bestVehiclesFirstDistance as number), 0);
      const atBest = hier.filter((r) => r.vehicles <= (r.bestVehicles as number)).length;
      console.log(
        `  against the hierarchical best known (${hier.length} instances): ${hv} vehicles vs ${bv} (${pct(hv, bv)}), at the best-known fleet on ${atBest}; distance ${hd.toFixed(1)} vs ${bd.toFixed(1)} (${pct(hd, bd)})`,
      );
      const families = [...new Set(hier.map((r) => r.family))];
      for (const f of families) {
        const g = hier.filter((r) => r.family === f);
        console.log(`    ${f}: ${g.reduce((a, r) => a + r.vehicles, 0)} vehicles vs ${g.reduce((a, r) => a + (r.bestVehicles as number), 0)}, distance ${g.reduce((a, r) => a + r.cost, 0).toFixed(1)} vs ${g.reduce((a, r) => a + (r.bestVehiclesFirstDistance as number), 0).toFixed(1)}`);
      }
    }
  }
}

/** Every published instance of a folder at one budget, against its best-known cost. */
function runFolder(opt: Options): void {
  const dir = opt.instances as string;
  const table = JSON.parse(readFileSync(opt.bestKnown ?? join(dir, 'best-known.json'), 'utf8')) as Record<string, unknown>;
  const only = opt.only?.map((x) => x.toUpperCase());
  const files = readdirSync(dir)
    .filter((f) => formatFromFileName(f) === 'vrp' || formatFromFileName(f) === 'solomon')
    .filter((f) => !only || only.some((o) => f.toUpperCase().startsWith(o)))
    .sort();
  const rows: RunRow[] = [];
  for (const file of files) {
    const name = basename(file).replace(/\.[^.]+$/, '');
    const problem = withFleet(parseProblem(readFileSync(join(dir, file), 'utf8'), formatFromFileName(file)!) as ProblemInput, opt.fleet);
    const budgetMs = opt.timeLimitMs ?? budgetFor(problem.stops.length);
    for (const objective of opt.objectives) {
      const ms = objective === 'distance' ? (opt.distanceTimeLimitMs ?? budgetMs) : budgetMs;
      rows.push(runSolve(name, problem, opt.fleet, objective, ms, opt.seed, bestKnownOf(table[name]), opt.iterations));
    }
  }
  // Grouped by objective (stable sort), so each objective's rows read together.
  rows.sort((a, b) => a.objective.localeCompare(b.objective));
  printRuns(rows);
}

/**
 * Planted tight instances: a plan with k vehicles, each loaded to exactly
 * its capacity, is known to exist. Solved with the fleet fixed at k (does
 * every customer get served?) and with an unlimited fleet.
 */
function runPlanted(opt: Options): void {
  const sizes = opt.sizesGiven ? opt.sizes : [100, 125, 150, 175, 200];
  const budgetMs = opt.timeLimitMs ?? 2000;
  const rows: RunRow[] = [];
  for (const n of sizes) {
    for (const seed of opt.seeds) {
      for (const layout of ['random', 'clustered'] as const) {
        // The name carries k, the planted (and fixed) number of vehicles.
        const { problem } = generatePlanted({ customers: n, seed, layout });
        const name = problem.name as string;
        for (const objective of opt.objectives) {
          rows.push(runSolve(name, problem, 'k', objective, budgetMs, opt.seed, undefined, opt.iterations));
          rows.push(runSolve(name, withFleet(problem, 'unlimited'), 'unlimited', objective, budgetMs, opt.seed, undefined, opt.iterations));
        }
      }
    }
  }
  printRuns(rows);
  // Price of the fixed fleet: distance with k vehicles against the unlimited run.
  const ratios: number[] = [];
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const fixed = rows[i] as RunRow;
    const free = rows[i + 1] as RunRow;
    if (fixed.unserved === 0 && free.unserved === 0) ratios.push((fixed.cost / free.cost - 1) * 100);
  }
  if (ratios.length) console.log(`fixed fleet k against unlimited: distance ${(ratios.reduce((a, b) => a + b, 0) / ratios.length).toFixed(1)}% longer on average (${ratios.length} pairs)`);
}

/** Solomon-like instances with both objectives: vehicles and distance of each. */
function runVrptw(opt: Options): void {
  const budgetMs = opt.timeLimitMs ?? 1000;
  const rows: RunRow[] = [];
  for (const kind of ['R', 'C', 'RC'] as const) {
    for (const seed of opt.seeds) {
      const problem = generateVrptw({ customers: 100, kind, seed });
      for (const objective of OBJECTIVES) rows.push(runSolve(problem.name as string, problem, 'file', objective, budgetMs, opt.seed, undefined));
    }
  }
  printRuns(rows);
}

function main(): void {
  let opt: Options;
  try {
    opt = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The usage is this file's header, where every option is explained.
    process.stderr.write(`bench:optimizer: ${error.message}\nusage: npm run bench:optimizer -- [options]; see the options at the top of scripts/bench-optimizer.ts\n`);
    process.exit(2);
  }
  if (opt.instances) return runFolder(opt);
  if (opt.planted) return runPlanted(opt);
  if (opt.vrptw) return runVrptw(opt);
  const rows: Row[] = [];
  process.stderr.write('tiny instances vs brute force\n');
  for (const seed of [101, 102, 103]) {
    rows.push(runOne(`tiny-cvrp-${seed}`, tinyInstance(seed, 8, false), 200, opt, true));
    rows.push(runOne(`tiny-vrptw-${seed}`, tinyInstance(seed, 8, true), 200, opt, true));
  }
  process.stderr.write('CVRP (random / clustered, TSPLIB rounding)\n');
  for (const n of opt.sizes) {
    for (const layout of ['random', 'clustered'] as const) {
      if (n >= 1000 && layout === 'clustered') continue;
      rows.push(runOne(`cvrp-${layout}-${n}`, generateCvrp({ customers: n, layout, seed: 1 }), budgetFor(n), opt, false));
    }
  }
  process.stderr.write('VRPTW (Solomon-like, one-decimal truncation)\n');
  for (const kind of ['R', 'C', 'RC'] as const) {
    rows.push(runOne(`vrptw-${kind}-100`, generateVrptw({ customers: 100, kind, seed: 1 }), budgetFor(100), opt, false));
  }
  if (!opt.quick) rows.push(runOne('vrptw-R-1000', generateVrptw({ customers: 1000, kind: 'R', seed: 1, horizon: 1000 }), budgetFor(1000), opt, false));
  console.log();
  printTable(rows);
}

main();
