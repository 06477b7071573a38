import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs a script as npm would, without a graph behind it: only its command line is exercised. */
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });

// One script per way the scripts read their command line: top level with commandLine(), main(argv)
// under runWhenEntry with its own parser, and a parser throwing the shared UsageError.
describe('a bad flag exits 2 with the usage on stderr, and nothing on stdout', () => {
  it.each([
    ['bench-gateways', 'usage: bench:gateways [options]'],
    ['verify', 'usage: verify'],
    ['plan', 'usage: plan <file>'],
  ])('%s', (script, usageLine) => {
    const result = run(script, ['--no-such-flag']);
    expect([result.status, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain('--no-such-flag');
    expect(result.stderr).toContain(usageLine);
  });
});

describe('--help prints the usage on stdout and exits 0', () => {
  it('for a script on commandLine(), listing each option with its default', () => {
    const result = run('bench-gateways', ['--help']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^usage: bench:gateways \[options\]/);
    expect(result.stdout).toMatch(/--graph <stack\|embedded\|running>\s+.*\(default stack\)/);
  });
});
