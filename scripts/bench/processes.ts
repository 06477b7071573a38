import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { trackChild } from './exit-cleanup.ts';

/** A port nothing listens on right now, on loopback. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });

export interface Child {
  process: ChildProcess;
  /** What it wrote so far (stdout and stderr), for the error when it fails to start. */
  output(): string;
  stop(): Promise<void>;
}

/** Runs a TypeScript entry point under tsx; `nodeArgs` go before it (e.g. --cpu-prof). */
export function spawnTs(entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Whatever way this process ends, the child does not outlive it.
  trackChild(child);
  let output = '';
  const keep = (d: Buffer) => {
    // The tail is what explains a failure; a long run must not grow this without bound.
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A GraphQL endpoint is ready when it answers `{ __typename }`. */
export const typenameProbe: RequestInit = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ __typename }' }),
};

/** Waits until `url` answers 200, or fails with the child's output when it exits or time runs out. */
export async function waitReady(child: Child, url: string, init: RequestInit = {}, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (res?.ok) return;
    if (child.process.exitCode !== null) throw new Error(`${url}: the process exited (${child.process.exitCode}):\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs / 1000} s:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `pid` and every process below it (Linux /proc; just `pid` where children cannot be listed). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    let children = '';
    try {
      children = readFileSync(`/proc/${all[i]}/task/${all[i]}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const c of children.trim().split(/\s+/)) if (c) all.push(Number(c));
  }
  return all;
}

/** CPU seconds (user + system) the processes have used so far; NaN where /proc cannot tell. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th of those.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return Number.NaN;
    }
  }
  // USER_HZ is 100 on every Linux this runs on.
  return ticks / 100;
}

/**
 * The processes under `pid` by what they run: `subgraphs/<name>/server.ts` is `<name>`,
 * `gateway/server.ts` is `gateway`, a JVM is `kafka`, anything else keeps its entry's file name.
 */
export function namedProcesses(pid: number): Map<string, number[]> {
  const named = new Map<string, number[]>();
  for (const p of processTree(pid)) {
    let argv: string[] = [];
    try {
      argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    const entry = argv.find((a) => /\.(ts|mjs|js)$/.test(a) && !a.includes('node_modules'));
    const name = argv[0]?.endsWith('java')
      ? 'kafka'
      : (entry?.match(/subgraphs\/([a-z]+)\/server\.ts$/)?.[1] ?? (entry?.endsWith('gateway/server.ts') ? 'gateway' : (entry?.split('/').pop() ?? argv[0] ?? String(p))));
    named.set(name, [...(named.get(name) ?? []), p]);
  }
  return named;
}
