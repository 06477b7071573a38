import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A watcher that kills `child` (SIGKILL) when this process dies, however it dies. An 'exit'
 * handler does not run on SIGKILL, nor on SIGTERM without a handler, which is how test runners end
 * a stuck worker; the watcher only needs its stdin pipe, which the kernel closes when we go.
 */
const WATCHER = `
const pid = Number(process.argv[1]);
const reap = () => { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); };
process.stdin.on('end', reap).on('error', reap).resume();
`;

export function killWithParent(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const watcher = spawn(process.execPath, ['-e', WATCHER, String(child.pid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  // Neither the watcher nor its pipe may keep this process alive.
  watcher.unref();
  (watcher.stdin as unknown as { unref?(): void } | null)?.unref?.();
  // Once the child is gone its pid may be reused: stop watching first.
  child.once('exit', () => watcher.kill());
}
