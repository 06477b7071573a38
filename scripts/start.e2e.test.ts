import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOMAINS } from '../subgraphs/platform/config.ts';
import { freePort } from './bench/processes.ts';

/**
 * `npm start` stopped by Ctrl+C, as a terminal does it: SIGINT to the whole foreground process
 * group (npm, the shell, and every process the start script runs). The pre-scripts (generate,
 * compose) are skipped: they are not what is under test and cost a minute.
 */
describe('npm start, stopped by Ctrl+C', () => {
  let folder: string | undefined;
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('drains, exits 0 and leaves no PGlite folder marked in use', async () => {
    folder = await mkdtemp(join(tmpdir(), 'vt-start-e2e-'));
    const dataDir = join(folder, 'data');
    const ports = Object.fromEntries(
      await Promise.all(['GATEWAY', ...DOMAINS.map((d) => d.toUpperCase())].map(async (name) => [`${name}_PORT`, String(await freePort())])),
    );
    const child = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, ...ports, DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that the signal reaches the group as a terminal sends it.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const deadline = Date.now() + 180_000;
      while (!output.includes('VoidTracker is up')) {
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`npm start was not up in time:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const ready = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/health/ready`);
      expect(ready.status).toBe(200);
      for (const domain of DOMAINS) expect(existsSync(join(dataDir, domain, 'postmaster.pid')), domain).toBe(true);

      process.kill(-child.pid!, 'SIGINT');
      // Still running after a minute counts as a failure of its own, not a test timeout.
      const exit = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running a minute after Ctrl+C'), 60_000).unref())]);

      expect(exit, output).toEqual({ code: 0, signal: null });
      const held = DOMAINS.filter((domain) => existsSync(join(dataDir, domain, 'postmaster.pid')));
      expect(held, output).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  }, 240_000);
});
