/**
 * Writes the Kubernetes manifests under ops/k8s from scripts/k8s-manifests.ts.
 *   npm run k8s               (re)write them
 *   npm run k8s -- --check    exit 1 if the committed files differ from what would be written
 * Exit codes: 0 written or up to date, 1 stale, 2 bad arguments.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { paint, processIo, runWhenEntry, table, type Io } from './lib/cli.ts';
import { renderManifests } from './k8s-manifests.ts';

export const USAGE = `usage: k8s [--check] [--dir <folder>]

  --check  compare instead of writing; exit 1 when a file is missing, different or left over
  --dir    the folder (default: ops/k8s)`;

export type FileState = 'ok' | 'missing' | 'different' | 'extra';

/** Each generated or present file and whether it matches what would be generated. */
export async function compare(dir: string): Promise<Array<{ file: string; state: FileState }>> {
  const wanted = renderManifests();
  const present = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.yaml')) : [];
  const out: Array<{ file: string; state: FileState }> = [];
  for (const [file, content] of wanted) {
    const path = join(dir, file);
    out.push({ file, state: !existsSync(path) ? 'missing' : (await readFile(path, 'utf8')) === content ? 'ok' : 'different' });
  }
  for (const file of present) if (!wanted.has(file)) out.push({ file, state: 'extra' });
  return out;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let check = false;
  let dir = 'ops/k8s';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    }
    if (a === '--check') check = true;
    else if (a === '--dir' && argv[i + 1]) dir = argv[++i]!;
    else {
      io.err(`k8s: unexpected argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  const states = await compare(dir);
  if (check) {
    const stale = states.filter((s) => s.state !== 'ok');
    for (const line of table(['file', 'state'], states.map((s) => [s.file, paint(s.state, s.state === 'ok' ? 'pass' : 'fail', io.colour)]))) io.out(line);
    if (stale.length) {
      io.err(`k8s: ${stale.length} file(s) in ${dir} are stale; run npm run k8s and commit the result`);
      return 1;
    }
    io.err(`k8s: ${dir} is up to date`);
    return 0;
  }
  await mkdir(dir, { recursive: true });
  for (const [file, content] of renderManifests()) await writeFile(join(dir, file), content);
  // Files of services that no longer exist would otherwise linger (and still be applied).
  for (const s of states.filter((s) => s.state === 'extra')) await rm(join(dir, s.file));
  const changed = states.filter((s) => s.state !== 'ok');
  io.err(`k8s: wrote ${states.length - states.filter((s) => s.state === 'extra').length} file(s) to ${dir}; ${changed.length} changed`);
  return 0;
}

runWhenEntry(import.meta.url, 'k8s', main);
