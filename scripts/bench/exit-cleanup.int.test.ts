import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Whether `pid` still runs (a zombie waiting to be reaped has stopped running). */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Runs the fixture benchmark in `mode`; `interrupt` is sent once its child is up. */
async function failingBench(mode: string, interrupt?: NodeJS.Signals) {
  const bench = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/exit-cleanup.fixture.ts', mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let childPid: number | undefined;
  bench.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    childPid ??= Number(/child (\d+)/.exec(out)?.[1]) || undefined;
    if (interrupt && out.includes('ready\n')) bench.kill(interrupt);
  });
  const code = await new Promise<number | null>((resolve) => bench.once('exit', (c) => resolve(c)));
  expect(childPid, out).toBeDefined();
  return { code, childPid: childPid! };
}

/** The child gets SIGTERM as the benchmark ends; it may take a moment to go. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !running(pid);
}

describe('a benchmark stops what it started on every exit path', () => {
  it.each([
    ['an uncaught error', 'throw', undefined, 1],
    ['an unhandled rejection', 'reject', undefined, 1],
    ['Ctrl+C (SIGINT)', 'signal', 'SIGINT', 130],
    ['a kill (SIGTERM)', 'signal', 'SIGTERM', 143],
    ['process.exit without cleanups', 'exit', undefined, 3],
  ] as const)('given %s, then the child process it started is gone', async (_what, mode, signal, exitCode) => {
    const { code, childPid } = await failingBench(mode, signal);
    expect(code).toBe(exitCode);
    expect(await gone(childPid)).toBe(true);
  }, 60_000);
});
