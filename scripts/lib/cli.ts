/**
 * What every operator script prints with: a padded table and PASS/FAIL colours. Colour only on a
 * terminal and never with NO_COLOR set (https://no-color.org), so piped output stays plain text.
 */

import { ConfigError, loadConfig, type Config, type Env } from '../../subgraphs/platform/config.ts';
import { isEntryPoint } from '../../subgraphs/platform/entry-point.ts';

/** A plain text table: one header row, columns padded to their widest visible cell. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export type Tone = 'pass' | 'fail' | 'warn' | 'dim';

const CODES: Record<Tone, string> = { pass: '32', fail: '31', warn: '33', dim: '2' };

/** Whether a stream should get ANSI colours. */
export function wantsColour(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** Wraps text in a tone's colour when `colour` is on. */
export function paint(text: string, tone: Tone, colour: boolean): string {
  return colour ? `\x1b[${CODES[tone]}m${text}\x1b[0m` : text;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** A cell's width on screen: colour codes take no columns. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Where a script writes: results to `out` (stdout), progress and errors to `err` (stderr). */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Whether results may carry colour. */
  colour: boolean;
}

export const processIo = (): Io => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  colour: wantsColour(process.stdout),
});

/**
 * Runs a script's `main` when the module is the one node was started with, and exits with its code.
 * It exits outright rather than setting the exit code: a client that timed out (Kafka, Redis) may
 * still be retrying in the background and would keep the process alive.
 */
export function runWhenEntry(moduleUrl: string, tool: string, main: (argv: readonly string[]) => Promise<number>): void {
  if (!isEntryPoint(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${tool}: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}

/** The configuration a script runs under, or undefined after saying what is wrong with it. */
export function scriptConfig(env: Env, io: Io, tool: string): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${tool}: ${error.message}`);
    return undefined;
  }
}
