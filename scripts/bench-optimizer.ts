/**
 * Optimizer benchmark on seeded synthetic instances in the style of the
 * classical sets, or on a folder of published instance files.
 *
 *   npx tsx scripts/bench-optimizer.ts [--quick] [--sizes 30,50,100] [--long-seeds N] [--long-factor F]
 *   npx tsx scripts/bench-optimizer.ts --instances <dir> [--best-known <file.json>] [--time-limit s] [--seed n]
 *
 * With --instances it solves every .vrp (TSPLIB/CVRPLIB) and .txt (Solomon)
 * file of the folder at the given budget (default: the CLI's) and prints the
 * gap to a best-known table, a JSON object of instance name (file name
 * without extension) -> best known cost, by default <dir>/best-known.json.
 * The instance files are third-party data: keep them outside the repository
 * (or under the git-ignored .cache/).
 *
 * Per instance it reports time, cost, vehicles and gaps against
 *   exact  - brute-force optimum (tiny instances only),
 *   LB     - a cheap lower bound (spanning forest / radial; ignores windows),
 *   long   - the best of several longer runs with other seeds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bruteForce } from '../subgraphs/planning/domain/optimizer/brute-force.ts';
import { checkSolution } from '../subgraphs/planning/domain/optimizer/feasibility.ts';
import { buildInstance, type Instance } from '../subgraphs/planning/domain/optimizer/instance.ts';
import { generateCvrp, generateVrptw } from '../subgraphs/planning/domain/optimizer/instance-generator.ts';
import { distanceLowerBound } from '../subgraphs/planning/domain/optimizer/lower-bound.ts';
import type { ProblemInput } from '../subgraphs/planning/domain/optimizer/problem-input.ts';
import { formatFromFileName, parseProblem } from '../subgraphs/planning/domain/optimizer/read-problem.ts';
import { solveInstance } from '../subgraphs/planning/domain/optimizer/solve.ts';
import { tinyInstance } from '../subgraphs/planning/domain/optimizer/test-fixtures.ts';

interface Options {
  quick: boolean;
  sizes: number[];
  longSeeds: number;
  longFactor: number;
  instances?: string;
  bestKnown?: string;
  timeLimitMs?: number;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const opt: Options = { quick: false, sizes: [30, 50, 100, 200, 1000], longSeeds: 3, longFactor: 5, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opt.quick = true;
    else if (a === '--sizes') opt.sizes = (argv[++i] ?? '').split(',').map(Number).filter((x) => x > 0);
    else if (a === '--long-seeds') opt.longSeeds = Number(argv[++i]);
    else if (a === '--long-factor') opt.longFactor = Number(argv[++i]);
    else if (a === '--instances') opt.instances = argv[++i];
    else if (a === '--best-known') opt.bestKnown = argv[++i];
    else if (a === '--time-limit') opt.timeLimitMs = Number(argv[++i]) * 1000;
    else if (a === '--seed') opt.seed = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
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

interface FolderRow {
  instance: string;
  family: string;
  n: number;
  ms: number;
  cost: number;
  vehicles: number;
  unserved: number;
  best?: number;
}

/** Instance family for the averages: CVRPLIB set letter (A, B, P, X...) or Solomon class (C1, R1, RC1...). */
const familyOf = (name: string): string => /^([A-Z]+)-n\d+/i.exec(name)?.[1]?.toUpperCase() ?? /^(RC|R|C)(\d)/i.exec(name)?.slice(1, 3).join('').toUpperCase() ?? 'other';

/** Every published instance of a folder at one budget, against its best-known cost. */
function runFolder(opt: Options): void {
  const dir = opt.instances as string;
  const table = JSON.parse(readFileSync(opt.bestKnown ?? join(dir, 'best-known.json'), 'utf8')) as Record<string, number>;
  const files = readdirSync(dir).filter((f) => formatFromFileName(f) === 'vrp' || formatFromFileName(f) === 'solomon').sort();
  const rows: FolderRow[] = [];
  for (const file of files) {
    const name = basename(file).replace(/\.[^.]+$/, '');
    const problem = parseProblem(readFileSync(join(dir, file), 'utf8'), formatFromFileName(file)!) as ProblemInput;
    const inst = buildInstance(problem);
    const budgetMs = opt.timeLimitMs ?? budgetFor(inst.stopCount);
    const started = performance.now();
    const r = solveInstance(inst, { seed: opt.seed, timeLimitMs: budgetMs });
    const ms = performance.now() - started;
    const violations = checkSolution(inst, r);
    if (violations.length > 0) throw new Error(`${name}: infeasible solution: ${violations.join('; ')}`);
    const row: FolderRow = { instance: name, family: familyOf(name), n: inst.stopCount, ms, cost: r.totalDistance, vehicles: r.vehiclesUsed, unserved: r.unserved.length };
    if (table[name] !== undefined) row.best = table[name];
    process.stderr.write(`  ${name}: ${row.cost} (best known ${row.best ?? '?'}) ${pct(row.cost, row.best)}\n`);
    rows.push(row);
  }
  const header = ['instance', 'n', 'time ms', 'cost', 'veh', 'unserved', 'best known', 'gap'];
  const body = rows.map((r) => [r.instance, String(r.n), r.ms.toFixed(0), String(Number(r.cost.toFixed(2))), String(r.vehicles), String(r.unserved), String(r.best ?? '-'), pct(r.cost, r.best)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  console.log();
  // Averages count only instances solved completely against a known best.
  const scored = rows.filter((r) => r.best !== undefined && r.unserved === 0);
  const summary = (label: string, group: FolderRow[]) => {
    if (!group.length) return;
    const gaps = group.map((r) => (r.cost / (r.best as number) - 1) * 100);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const maxMs = Math.max(...group.map((r) => r.ms));
    console.log(`${label.padEnd(10)} ${String(group.length).padStart(3)} instances  mean gap ${mean.toFixed(2)}%  max gap ${Math.max(...gaps).toFixed(2)}%  at best known ${gaps.filter((g) => g < 0.005).length}  slowest ${maxMs.toFixed(0)} ms`);
  };
  for (const family of [...new Set(scored.map((r) => r.family))].sort()) summary(family, scored.filter((r) => r.family === family));
  summary('all', scored);
  const unscored = rows.length - scored.length;
  if (unscored) console.log(`(${unscored} instance(s) without a best-known value or with unserved stops are left out of the averages)`);
}

function main(): void {
  const opt = parseOptions(process.argv.slice(2));
  if (opt.instances) return runFolder(opt);
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
