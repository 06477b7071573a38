/**
 * The web app's generated parts (examples/web), run by the existing commands, never by hand:
 *   tsx scripts/web.ts codegen [--check]   typed documents from schemas/api.graphql (postinstall, pretest);
 *                                          --check changes nothing and fails when src/gql is stale
 *   tsx scripts/web.ts build [--force]     codegen, Vite build and the persisted-query manifest (prestart, browser tests)
 * A build is skipped when dist/ is newer than every input, so `npm start` pays for it once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { isEntryPoint } from '../subgraphs/platform/entry-point.ts';
import { processIo } from './lib/cli.ts';
import { commandLine, usageFailure } from './lib/command-line.ts';

export const WEB_DIR = resolve(import.meta.dirname, '../examples/web');
const BIN = resolve(import.meta.dirname, '../node_modules/.bin');
const BUILT = join(WEB_DIR, 'dist/persisted-query-manifest.json');
const INPUTS = ['src', 'index.html', 'vite.config.ts', 'codegen.ts', 'persisted-query-manifest.config.json', '../../schemas/api.graphql'];

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(join(BIN, bin), args, { cwd: WEB_DIR, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** Newest modification time under the given paths (generated src/gql excluded). */
function newest(paths: string[]): number {
  let latest = 0;
  for (const p of paths) {
    const full = join(WEB_DIR, p);
    if (!existsSync(full) || full === join(WEB_DIR, 'src/gql')) continue;
    const s = statSync(full);
    latest = Math.max(latest, s.isDirectory() ? newest(readdirSync(full).map((f) => join(p, f))) : s.mtimeMs);
  }
  return latest;
}

export const GENERATED = join(WEB_DIR, 'src/gql');

export function codegen(check = false): void {
  if (check) checkGenerated();
  else run('graphql-codegen', ['--config', 'codegen.ts']);
}

/** The files under a directory, by path relative to it, with their text. */
const filesOf = (dir: string): Map<string, string> =>
  new Map(
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name))
          .map((f) => [relative(dir, f), readFileSync(f, 'utf8')])
      : [],
  );

/**
 * The drift check, changing nothing: generates afresh into a temporary directory (which fails,
 * naming the operation and field, when a document no longer validates against
 * schemas/api.graphql) and compares that with `generated`. The generated code is not committed:
 * CI regenerates it in pretest and type-checks the app against it, so this check is for a working
 * copy (an editor's types, a build about to ship) and says which files are stale.
 */
export function checkGenerated(generated = GENERATED): void {
  const fresh = mkdtempSync(join(tmpdir(), 'web-codegen-'));
  try {
    try {
      run('graphql-codegen', ['--config', 'codegen.ts'], { ...process.env, WEB_CODEGEN_OUT: `${fresh}/` });
    } catch {
      throw new Error('web codegen check: the app\'s documents do not match schemas/api.graphql (see the errors above); fix the documents or the schema.');
    }
    const want = filesOf(fresh);
    const have = filesOf(generated);
    const stale = [...new Set([...want.keys(), ...have.keys()])].filter((f) => want.get(f) !== have.get(f)).sort();
    if (stale.length) {
      throw new Error(
        `web codegen check: ${relative(process.cwd(), generated) || generated} is stale against schemas/api.graphql and the app's documents (${stale.join(', ')}); run \`npm run web:codegen\`.`,
      );
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

const LOCK = join(WEB_DIR, '.build.lock');
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * One build at a time: test files in parallel workers all ask for it, and a second Vite build
 * would empty dist/ under the first. A lock older than two minutes is a crashed build's.
 */
function exclusively<T>(work: () => T): T {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(LOCK, { recursive: true, force: true });
      else sleep(250);
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

const current = () => existsSync(BUILT) && statSync(BUILT).mtimeMs > newest(INPUTS);

/** Builds unless dist/ is current; true when it built. */
export function build(force = false): boolean {
  if (!force && current()) return false;
  return exclusively(() => {
    // Another worker may have built it while this one waited.
    if (!force && current()) return false;
    codegen();
    run('vite', ['build', '--config', 'vite.config.ts', '--logLevel', 'warn']);
    // Last, so its time stamp says the whole build is done.
    run('generate-persisted-query-manifest', ['--config', 'persisted-query-manifest.config.json']);
    return true;
  });
}

if (isEntryPoint(import.meta.url)) {
  const spec = {
    name: 'web',
    summary: "The web example's generated types and persisted queries (codegen), or its production build (build).",
    positionals: ['codegen|build'],
    options: {
      check: { type: 'boolean', description: 'codegen: write nothing; exit 1 when a generated file is stale' },
      force: { type: 'boolean', description: 'build: rebuild even when examples/web/dist is current' },
    },
  } as const;
  const { options, positionals } = commandLine(spec);
  const [command] = positionals;
  try {
    if (command === 'codegen') {
      codegen(options.check);
      if (options.check) console.log('web codegen check: examples/web/src/gql is current');
    }
    else if (command === 'build') console.log(build(options.force) ? 'web app built: examples/web/dist' : 'web app current: examples/web/dist');
    else process.exit(usageFailure(spec, command === undefined ? 'say codegen or build' : `unknown command ${command}`, processIo()));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
