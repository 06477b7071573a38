import type { ChildProcess } from 'node:child_process';

/**
 * What a benchmark started is stopped on every way it can end: a normal return (its own
 * `finally`), an error nobody caught, a promise rejection nobody handled, Ctrl+C (SIGINT) or a
 * kill (SIGTERM). A crashed benchmark once left a whole stack (nine processes and a broker)
 * running for hours. Cleanups run once, in reverse order of registration, each bounded in time;
 * children still alive when the process finally exits get SIGTERM synchronously as a last resort.
 */
const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
const children = new Set<ChildProcess>();
let installed = false;
let exiting = false;

/** How long one cleanup may take on the way out (a stack drains its processes, then its broker). */
const CLEANUP_TIMEOUT_MS = 60_000;

const say = (msg: string) => process.stderr.write(`${msg}\n`);

async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      cleanup.run().catch((error: unknown) => say(`cleanup of ${cleanup.name} failed: ${(error as Error).message}`)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, CLEANUP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }
}

/** Stops everything, then exits with `code`; a second signal during that exits at once (children still get SIGTERM). */
async function shutdown(code: number, why: string): Promise<never> {
  if (exiting) process.exit(code);
  exiting = true;
  say(`${why}: stopping what this run started…`);
  await runCleanups();
  process.exit(code);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', () => void shutdown(130, 'interrupted (SIGINT)'));
  process.on('SIGTERM', () => void shutdown(143, 'terminated (SIGTERM)'));
  process.on('uncaughtException', (error) => {
    say(error.stack ?? String(error));
    void shutdown(1, 'failed');
  });
  process.on('unhandledRejection', (reason) => {
    say((reason as Error | undefined)?.stack ?? String(reason));
    void shutdown(1, 'failed');
  });
  // The last resort, synchronous: whatever is still running gets SIGTERM (a stack stops its own children on it).
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
}

/** Registers an async cleanup for every exit path; returns the function that unregisters it (after a normal close). */
export function onBenchExit(name: string, run: () => Promise<void>): () => void {
  install();
  const entry = { name, run };
  cleanups.push(entry);
  return () => {
    const at = cleanups.indexOf(entry);
    if (at >= 0) cleanups.splice(at, 1);
  };
}

/** A child process that must not outlive this one. */
export function trackChild(child: ChildProcess): void {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Ends the run now with `code`, after every registered cleanup (for a top-level failure). */
export const failBench = (error: unknown): Promise<never> => {
  install();
  say((error as Error | undefined)?.stack ?? String(error));
  return shutdown(1, 'failed');
};
