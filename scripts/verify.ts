/**
 * Checks what a deployment needs, under the same environment the graph starts with:
 *   npm run verify [-- --json] [--only node,database,kafka,redis,jwks,supergraph] [--timeout <ms>]
 * Prints a PASS/FAIL table (SKIP: not configured, so nothing to check). Changes nothing.
 * Exit codes: 0 every check passed, 1 a check failed, 2 bad arguments.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type Env } from '../subgraphs/platform/config.ts';
import { processIo, runWhenEntry, type Io } from './lib/cli.ts';
import {
  CHECK_GROUPS,
  exitCode,
  formatResults,
  planChecks,
  runChecks,
  toJson,
  type CheckGroup,
  type CheckResult,
  type PlanOptions,
} from './lib/verify.ts';
import { UsageError } from './lib/command-line.ts';

export const USAGE = `usage: verify [--json] [--only <check>[,<check>]...] [--timeout <ms>]

  --only     run only these checks: ${CHECK_GROUPS.join(', ')} (repeatable)
  --json     print the results as JSON (no table, no colour)
  --timeout  give every check this long instead of its own default`;

export interface Options {
  json: boolean;
  only: CheckGroup[];
  timeoutMs: number | undefined;
}


export function parseArgs(argv: readonly string[]): Options | 'help' {
  const options: Options = { json: false, only: [], timeoutMs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--') || !v.trim()) throw new UsageError(`${a} needs a value`);
      return v.trim();
    };
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '--json':
        options.json = true;
        break;
      case '--only':
        for (const name of value().split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!(CHECK_GROUPS as readonly string[]).includes(name)) {
            throw new UsageError(`--only: unknown check "${name}" (one of ${CHECK_GROUPS.join(', ')})`);
          }
          if (!options.only.includes(name as CheckGroup)) options.only.push(name as CheckGroup);
        }
        break;
      case '--timeout': {
        const raw = value();
        const ms = Number(raw);
        if (!Number.isInteger(ms) || ms < 1 || ms > 600_000) throw new UsageError(`--timeout: not a number of milliseconds from 1 to 600000: ${raw}`);
        options.timeoutMs = ms;
        break;
      }
      default:
        throw new UsageError(`unexpected argument ${a}`);
    }
  }
  return options;
}

/** package.json's engines.node, read from the working directory the graph runs in. */
function enginesNode(): string | undefined {
  try {
    return (JSON.parse(readFileSync('package.json', 'utf8')) as { engines?: { node?: string } }).engines?.node;
  } catch {
    return undefined;
  }
}

export async function main(
  argv: readonly string[],
  env: Env = process.env,
  io: Io = processIo(),
  plan: Partial<PlanOptions> = {},
): Promise<number> {
  let options: Options;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      io.out(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`verify: ${error.message}\n${USAGE}`);
    return 2;
  }
  const print = (results: CheckResult[]) => {
    if (options.json) io.out(toJson(results));
    else for (const line of formatResults(results, io.colour && !options.json)) io.out(line);
    return exitCode(results);
  };

  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A configuration the graph would refuse to start with is the first thing a deployment needs fixed.
    const detail = error.message.replace(/\n\s*/g, ' ').trim();
    return print([{ name: 'config', ok: false, detail }]);
  }

  const checks = planChecks(config, {
    enginesNode: enginesNode(),
    jwksUrl: env.JWKS_URL || undefined,
    timeoutMs: options.timeoutMs,
    only: options.only,
    ...plan,
  });
  const results = await runChecks(checks, (line) => io.err(`verify: ${line}`));
  return print(results);
}

runWhenEntry(import.meta.url, 'verify', main);
