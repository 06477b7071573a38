import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { processTree } from './bench/processes.ts';

const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/**
 * The real benchmark, made to fail once its whole stack runs: without the demo seed it cannot
 * sign in. Every process it started (the stack's subgraphs, gateway and Kafka broker) must be
 * gone when it has exited, and its databases dropped.
 */
describe('npm run bench:events -- --stack, failing', () => {
  it('given a failure after the stack started, then it exits non-zero and no process or database of its stack remains', async () => {
    const bench = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-events.ts', '--stack', '--orders', '5', '--warmup', '0'], {
      env: { ...process.env, SEED_DEMO: 'false', POSTGRES_URL: POSTGRES },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    bench.stdout.on('data', (d: Buffer) => (output += d.toString()));
    bench.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // Every process seen under the benchmark while it ran.
    const seen = new Set<number>();
    const watch = setInterval(() => {
      for (const pid of processTree(bench.pid!)) if (pid !== bench.pid) seen.add(pid);
    }, 200);
    const code = await new Promise<number | null>((resolve) => bench.once('exit', (c) => resolve(c)));
    clearInterval(watch);
    expect(code, output).toBe(1);
    expect(output).toMatch(/could not sign in/);
    // The stack had started: its processes, the broker's JVM among them, were there.
    expect(seen.size, output).toBeGreaterThanOrEqual(9);
    expect([...seen].filter(running)).toEqual([]);
    expect(await databasesLeftBy(bench.pid!)).toEqual([]);
  }, 600_000);

  it('given a kill (SIGTERM) while it creates orders, then it exits 143 and no process or database of its stack remains', async () => {
    const bench = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-events.ts', '--stack', '--orders', '100000', '--rate', '2', '--warmup', '0'], {
      env: { ...process.env, POSTGRES_URL: POSTGRES },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const seen = new Set<number>();
    bench.stdout.on('data', (d: Buffer) => (output += d.toString()));
    bench.stderr.on('data', (d: Buffer) => {
      output += d.toString();
      // Mid-run: the whole stack is up and taking orders.
      if (output.includes('creating 100000 orders') && !bench.killed) {
        for (const pid of processTree(bench.pid!)) if (pid !== bench.pid) seen.add(pid);
        bench.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => bench.once('exit', (c) => resolve(c)));
    expect(code, output).toBe(143);
    expect(seen.size, output).toBeGreaterThanOrEqual(9);
    expect([...seen].filter(running)).toEqual([]);
    expect(await databasesLeftBy(bench.pid!)).toEqual([]);
  }, 600_000);
});

/** The databases a bench run (by its pid) created and did not drop. */
async function databasesLeftBy(pid: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    const left = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`vt_bench_${pid}_%`]);
    return left.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}
