import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** A parent that starts a sleeping child, prints its pid and waits to be killed. */
const parentScript = (watched: boolean) => `
import { spawn } from 'node:child_process';
import { killWithParent } from './scripts/lib/reaper.ts';
const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore', detached: true });
${watched ? 'killWithParent(child);' : ''}
console.log(child.pid);
setInterval(() => {}, 1000);
`;

async function orphanAfterSigkill(watched: boolean): Promise<number> {
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', parentScript(watched)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  parent.kill('SIGKILL');
  return pid;
}

describe('killWithParent', () => {
  it('given a parent killed with SIGKILL, then its watched child dies too (an unwatched one would not)', async () => {
    const unwatched = await orphanAfterSigkill(false);
    const watched = await orphanAfterSigkill(true);
    try {
      expect(await until(() => !alive(watched), 5_000)).toBe(true);
      expect(alive(unwatched)).toBe(true);
    } finally {
      for (const pid of [watched, unwatched]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 20_000);
});
