import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench:gateways` for a second a round on the embedded graph: it must start every
 * gateway, find their answers identical, and print a row per gateway and the ratio to Hive. What
 * the figures say is the benchmark's business, not this test's.
 */
describe('npm run bench:gateways', () => {
  it('runs ours, stock @apollo/gateway and Hive Gateway over the same graph and finds their answers identical', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-gateways.ts', '--graph', 'embedded', '--seconds', '1', '--rounds', '1', '--concurrency', '2', '--orders', '12'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('answers identical across all 4 gateways');
    for (const gateway of ['ours, inside npm start', 'ours (gateway/server.ts)', 'stock @apollo/gateway', 'Hive Gateway']) {
      expect(out.match(new RegExp(`^  ${gateway.replace(/[()]/g, '\\$&')} +\\d+ +[\\d.]+`, 'gm')), gateway).toHaveLength(3);
    }
    expect(out.match(/ours\/Hive: \d+\.\d\d/g)).toHaveLength(3);
  }, 240_000);
});
