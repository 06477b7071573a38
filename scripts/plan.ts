/**
 * Solve a vehicle routing problem file and print the solution.
 *
 *   npx tsx scripts/plan.ts <file> [--format json|vrp|solomon] [--time-limit <seconds>]
 *                                  [--seed N] [--iterations N] [--output json|sol]
 *                                  [--objective distance|vehicles-first]
 *
 * The format defaults from the extension (.json, .vrp, .txt). Exit codes:
 * 0 solved, 1 bad input, 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import { OBJECTIVES, type Objective, OptimizerInputError } from '../subgraphs/planning/domain/optimizer/problem-input.ts';
import { formatFromFileName, parseProblem, PROBLEM_FORMATS, type ProblemFormat } from './optimizer/read-problem.ts';
import { toCvrplibSol } from './optimizer/solution-format.ts';
import { solve } from '../subgraphs/planning/domain/optimizer/solve.ts';
import { UsageError } from './lib/command-line.ts';

const USAGE =
  'usage: plan <file> [--format json|vrp|solomon] [--time-limit <seconds>] [--seed N] [--iterations N] [--output json|sol] [--objective distance|vehicles-first]';


interface Args {
  file: string;
  format: ProblemFormat;
  timeLimitMs: number | undefined;
  seed: number;
  iterations: number | undefined;
  output: 'json' | 'sol';
  objective: Objective | undefined;
}

function parseArgs(argv: string[]): Args {
  let file: string | undefined;
  let format: string | undefined;
  let timeLimit: string | undefined;
  let seed = '1';
  let iterations: string | undefined;
  let output = 'json';
  let objective: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--format') format = value();
    else if (a === '--time-limit') timeLimit = value();
    else if (a === '--seed') seed = value();
    else if (a === '--iterations') iterations = value();
    else if (a === '--output') output = value();
    else if (a === '--objective') objective = value();
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!file) throw new UsageError('missing problem file');
  const fmt = format ?? formatFromFileName(file);
  if (!fmt) throw new UsageError(`cannot tell the format of "${file}" from its extension; pass --format json|vrp|solomon`);
  if (!(PROBLEM_FORMATS as readonly string[]).includes(fmt)) throw new UsageError(`unknown format "${fmt}" (expected json, vrp or solomon)`);
  if (output !== 'json' && output !== 'sol') throw new UsageError(`unknown output "${output}" (expected json or sol)`);
  let timeLimitMs: number | undefined;
  if (timeLimit !== undefined) {
    const s = Number(timeLimit);
    if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--time-limit must be a positive number of seconds, got "${timeLimit}"`);
    timeLimitMs = s * 1000;
  }
  const seedNum = Number(seed);
  if (!Number.isInteger(seedNum)) throw new UsageError(`--seed must be an integer, got "${seed}"`);
  let its: number | undefined;
  if (iterations !== undefined) {
    its = Number(iterations);
    if (!Number.isInteger(its) || its < 0) throw new UsageError(`--iterations must be a non-negative integer, got "${iterations}"`);
  }
  if (objective !== undefined && !(OBJECTIVES as readonly string[]).includes(objective)) {
    throw new UsageError(`unknown objective "${objective}" (expected ${OBJECTIVES.join(' or ')})`);
  }
  return { file, format: fmt as ProblemFormat, timeLimitMs, seed: seedNum, iterations: its, output, objective: objective as Objective | undefined };
}

/** Default budget grows with size: 1 s up to 200 stops, 5 s at 1,000. */
function defaultBudgetMs(stops: number): number {
  return Math.min(10_000, Math.max(1000, stops * 5));
}

function main(argv: string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`error: ${e.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (e) {
    process.stderr.write(`error: cannot read ${args.file}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const problem = parseProblem(text, args.format);
    const stops = Array.isArray((problem as { stops?: unknown[] }).stops) ? (problem as { stops: unknown[] }).stops.length : 0;
    const result = solve(problem, {
      seed: args.seed,
      timeLimitMs: args.timeLimitMs ?? defaultBudgetMs(stops),
      ...(args.iterations !== undefined ? { maxIterations: args.iterations } : {}),
      ...(args.objective !== undefined ? { objective: args.objective } : {}),
    });
    process.stdout.write(args.output === 'sol' ? toCvrplibSol(result) : `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(
      `${result.name}: distance ${result.totalDistance}, ${result.vehiclesUsed} vehicles, ${result.unserved.length} unserved, ` +
        `${result.stats.iterations} iterations in ${Math.round(result.stats.elapsedMs)} ms\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof OptimizerInputError) {
      process.stderr.write(`error: invalid ${args.format} problem in ${args.file}:\n`);
      for (const err of e.errors) process.stderr.write(`  ${err.field}: ${err.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
