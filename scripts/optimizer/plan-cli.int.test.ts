import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// End-to-end checks of scripts/plan.ts: exit codes and messages on bad input.
const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'plan-cli-'));

const VRP = `NAME : cli-n5-k2
TYPE : CVRP
DIMENSION : 5
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 0 10
3 0 20
4 10 0
5 20 0
DEMAND_SECTION
1 0
2 5
3 5
4 5
5 5
DEPOT_SECTION
1
-1
EOF
`;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function plan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/plan.ts', ...args], { cwd: repo }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('plan CLI', () => {
  it('given a CVRPLIB file and --output sol, when run, then it prints routes numbered like CVRPLIB and exits 0', async () => {
    const r = await plan(file('ok.vrp', VRP), '--iterations', '200', '--output', 'sol');
    expect(r.code).toBe(0);
    // Two arms of the L: 1-2 (north) and 3-4 (east), each 2 * 20 long.
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Route #')).sort()).toEqual(['Route #1: 1 2', 'Route #2: 3 4']);
    expect(r.stdout).toContain('Cost 80\n');
  });

  it('given --objective, when run, then vehicles-first is accepted and an unknown objective is a usage error', async () => {
    const [ok, bad] = await Promise.all([
      plan(file('obj.vrp', VRP), '--iterations', '200', '--objective', 'vehicles-first', '--output', 'sol'),
      plan(file('obj2.vrp', VRP), '--objective', 'fewest'),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Cost 80\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown objective "fewest" \(expected distance or vehicles-first\)/);
  });

  it('given bad files and arguments, when run, then each fails with a clear message and a non-zero exit', async () => {
    const badJson = {
      depots: [{ id: 'D' }],
      stops: [{ id: 'a' }],
      vehicles: [{ id: 'v', capacity: 1 }],
      matrix: { distances: [[0, -1], [1, 0]] },
    };
    const [unknown, negDemand, negDistance, malformed, badFlag] = await Promise.all([
      plan(file('problem.xyz', VRP)),
      plan(file('neg.vrp', VRP.replace('3 5\n', '3 -5\n'))),
      plan(file('neg.json', JSON.stringify(badJson))),
      plan(file('broken.json', '{ "stops": [')),
      plan(file('ok2.vrp', VRP), '--time-limit', 'soon'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cannot tell the format/);
    expect(negDemand.code).toBe(1);
    expect(negDemand.stderr).toMatch(/line 15: negative demand -5/);
    expect(negDistance.code).toBe(1);
    expect(negDistance.stderr).toMatch(/matrix\.distances\[0\]\[1\]: must not be negative/);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/malformed JSON/);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--time-limit must be a positive number/);
  });
});
