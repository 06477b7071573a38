import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench:subscriptions` tiny: it must open every stream, see each subscriber receive its
 * order's change exactly once, and print the row of figures. The figures themselves are the
 * benchmark's business.
 */
describe('npm run bench:subscriptions', () => {
  it('fans each order change out to its SSE subscribers once and reports pushes/s and latency percentiles', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-subscriptions.ts', '--subscribers', '24', '--orders', '3'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('24/24 open');
    expect(out).toMatch(/^24 +3 +24 +[\d.]+ +\d+ +\d+ +\d+ +\d+ +\d+$/m);
    expect(out).toContain('PASS: every subscriber received its order\'s change exactly once');
  }, 180_000);
});
