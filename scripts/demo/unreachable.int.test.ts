import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../bench/processes.ts';
import { runDemo } from './steps.ts';

describe('npm run demo without a graph to reach', () => {
  it('says why the first step failed (the socket error under "fetch failed")', async () => {
    const port = await freePort();
    const [first, ...rest] = await runDemo(`http://127.0.0.1:${port}/graphql`);
    expect(first).toMatchObject({ ok: false, figures: expect.stringMatching(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`)) });
    expect(rest).toEqual([]);
  });

  it('goes where npm start with the same GATEWAY_PORT listens', async () => {
    const port = await freePort();
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { env: { ...process.env, GATEWAY_PORT: String(port) } }).catch(
      (error: { stdout: string; code: number }) => error,
    );
    expect(run.stdout).toContain(`VoidTracker demo against http://127.0.0.1:${port}/graphql`);
    expect(run.stdout).toContain('ECONNREFUSED');
  });
});
