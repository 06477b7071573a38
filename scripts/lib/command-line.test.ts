import { describe, expect, it } from 'vitest';
import { parseCommandLine, readCommandLine, usage, UsageError, type CommandSpec, type OptionSpecs } from './command-line.ts';

const spec = {
  name: 'bench:thing',
  summary: 'Measures a thing.',
  positionals: ['[file]'],
  options: {
    seconds: { type: 'number', default: 10, description: 'how long each round runs', min: 1 },
    rounds: { type: 'number', default: 2, integer: true, description: 'rounds' },
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql', description: 'the gateway', value: 'url' },
    profile: { type: 'string', description: 'where to write CPU profiles', value: 'dir' },
    id: { type: 'string', multiple: true, description: 'an id' },
    keep: { type: 'boolean', description: 'keep the databases' },
    scenario: { type: 'string', default: 'all', choices: ['read', 'all'], description: 'which' },
  },
} as const satisfies CommandSpec<OptionSpecs>;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } };
}

describe('parseCommandLine', () => {
  it('fills defaults and reads given values, numbers as numbers', () => {
    expect(parseCommandLine(spec, [])).toEqual({
      options: { seconds: 10, rounds: 2, url: 'http://127.0.0.1:4000/graphql', profile: undefined, id: [], keep: false, scenario: 'all' },
      positionals: [],
    });
    expect(parseCommandLine(spec, ['in.json', '--seconds', '2.5', '--rounds=3', '--keep', '--id', 'a', '--id', 'b', '--profile', 'p'])).toEqual({
      options: { seconds: 2.5, rounds: 3, url: 'http://127.0.0.1:4000/graphql', profile: 'p', id: ['a', 'b'], keep: true, scenario: 'all' },
      positionals: ['in.json'],
    });
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/i],
    [['--seconds'], /--seconds/],
    [['--seconds', 'soon'], /--seconds: not a number of at least 1: soon/],
    [['--seconds', '0'], /--seconds: not a number of at least 1: 0/],
    [['--rounds', '1.5'], /--rounds: not an integer: 1.5/],
    [['a', 'b'], /unexpected argument b/],
    [['--scenario', 'write'], /--scenario: one of read, all, not write/],
  ])('given %j, then it is a UsageError saying what is wrong', (argv, message) => {
    expect(() => parseCommandLine(spec, argv)).toThrow(UsageError);
    expect(() => parseCommandLine(spec, argv)).toThrow(message);
  });

  it('given --help, then it says help whatever else is given', () => {
    expect(parseCommandLine(spec, ['--seconds', '3', '--help'])).toBe('help');
  });
});

describe('readCommandLine', () => {
  it('prints the usage on stdout for --help and returns 0', () => {
    const c = capture();
    expect(readCommandLine(spec, ['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toBe(usage(spec));
    expect(c.err).toEqual([]);
  });

  it('prints the fault and the usage on stderr for bad usage and returns 2', () => {
    const c = capture();
    expect(readCommandLine(spec, ['--secnds', '3'], c.io)).toBe(2);
    expect(c.out).toEqual([]);
    expect(c.err.join('\n')).toMatch(/^bench:thing: Unknown option '--secnds'/);
    expect(c.err.join('\n')).toContain('usage: bench:thing [file] [options]');
  });
});

describe('usage', () => {
  it('lists every option with its value name and default, and --help', () => {
    const text = usage(spec);
    expect(text.split('\n').slice(0, 3)).toEqual(['usage: bench:thing [file] [options]', '', 'Measures a thing.']);
    expect(text).toMatch(/--seconds <n>\s+how long each round runs \(default 10\)/);
    expect(text).toMatch(/--url <url>\s+the gateway \(default http:\/\/127\.0\.0\.1:4000\/graphql\)/);
    expect(text).toMatch(/--id <value>\s+an id \(may repeat\)/);
    expect(text).toMatch(/--keep\s+keep the databases$/m);
    expect(text).toMatch(/--scenario <read\|all>\s+which \(default all\)/);
    expect(text).toMatch(/--help\s+print this text$/m);
  });
});
