/**
 * The one command-line pattern of scripts/: options declared once, read with node's own parseArgs
 * (strict, so a misspelt flag is an error, not a silent default), --help printing the usage on
 * stdout, and bad usage printing what is wrong plus the usage on stderr with exit code 2.
 * Results go to stdout and progress to stderr (see Io in cli.ts).
 */
import { parseArgs } from 'node:util';

/** Bad usage: the script exits 2 with the message and its usage text. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type OptionSpec =
  | { type: 'string'; default?: string; description: string; value?: string; multiple?: false; choices?: readonly string[] }
  | { type: 'string'; multiple: true; description: string; value?: string }
  | { type: 'number'; default?: number; description: string; value?: string; integer?: boolean; min?: number }
  | { type: 'boolean'; description: string };

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandSpec<O extends OptionSpecs> {
  /** The script's name as the usage shows it (`npm run <name>` or `tsx scripts/<name>.ts`). */
  name: string;
  /** One line: what the script does. */
  summary: string;
  options: O;
  /** Positional arguments, as the usage line shows them, e.g. ['<file>'] or ['[events]']. */
  positionals?: readonly string[];
}

type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'string'; multiple: true }
    ? string[]
    : S extends { type: 'number'; default: number }
      ? number
      : S extends { type: 'number' }
        ? number | undefined
        : S extends { type: 'string'; default: string }
          ? string
          : string | undefined;

export interface Parsed<O extends OptionSpecs> {
  options: { [K in keyof O]: ValueOf<O[K]> };
  positionals: string[];
}

/** The usage text: the synopsis, the summary, then one line per option with its default. */
export function usage<O extends OptionSpecs>(spec: CommandSpec<O>): string {
  const flag = (name: string, o: OptionSpec) => {
    if (o.type === 'boolean') return `--${name}`;
    const choices = o.type === 'string' && !o.multiple && o.choices ? o.choices.join('|') : undefined;
    return `--${name} <${o.value ?? choices ?? (o.type === 'number' ? 'n' : 'value')}>`;
  };
  const synopsis = [`usage: ${spec.name}`, ...(spec.positionals ?? []), ...Object.keys(spec.options).length ? ['[options]'] : []].join(' ');
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const fallback = 'default' in o && o.default !== undefined ? ` (default ${o.default})` : '';
    return [flag(name, o), `${o.description}${fallback}${o.type === 'string' && o.multiple ? ' (may repeat)' : ''}`] as const;
  });
  rows.push(['--help', 'print this text']);
  const width = Math.max(...rows.map(([f]) => f.length));
  return [synopsis, '', spec.summary, '', ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`)].join('\n');
}

/**
 * Reads argv against the spec: the options with their defaults filled in, or 'help' when asked.
 * Throws UsageError on an unknown option, a missing value, a number that is not one, or more
 * positionals than the spec names.
 */
export function parseCommandLine<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[]): Parsed<O> | 'help' {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const [name, o] of Object.entries(spec.options)) config[name] = { type: o.type === 'boolean' ? 'boolean' : 'string', ...(o.type === 'string' && o.multiple ? { multiple: true } : {}) };
  let raw: ReturnType<typeof parseArgs>;
  try {
    raw = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/ To specify a positional argument.*$/, ''));
  }
  if (raw.values.help) return 'help';
  const max = spec.positionals?.length ?? 0;
  if (raw.positionals.length > max) throw new UsageError(`unexpected argument ${raw.positionals[max]}`);
  const options: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    const value = raw.values[name];
    if (o.type === 'boolean') options[name] = value === true;
    else if (o.type === 'string' && o.multiple) options[name] = (value as string[] | undefined) ?? [];
    else if (o.type === 'string') {
      if (value !== undefined && o.choices && !o.choices.includes(value as string)) throw new UsageError(`--${name}: one of ${o.choices.join(', ')}, not ${value as string}`);
      options[name] = (value as string | undefined) ?? o.default;
    }
    else if (value === undefined) options[name] = o.default;
    else {
      const n = Number(value);
      if ((value as string).trim() === '' || !Number.isFinite(n) || (o.integer && !Number.isInteger(n)) || (o.min !== undefined && n < o.min)) {
        throw new UsageError(`--${name}: not ${o.integer ? 'an integer' : 'a number'}${o.min !== undefined ? ` of at least ${o.min}` : ''}: ${value as string}`);
      }
      options[name] = n;
    }
  }
  return { options: options as Parsed<O>['options'], positionals: raw.positionals };
}

/** Where a command line's verdict goes: stdout for --help, stderr for bad usage. */
export interface UsageIo {
  out(line: string): void;
  err(line: string): void;
}

/**
 * parseCommandLine for a script's main(argv): the parsed arguments, or the exit code to return
 * (0 after --help, 2 after bad usage), having printed what the user needs. `check` turns the
 * parsed options into the script's own arguments; a UsageError it throws is bad usage too.
 */
export function readCommandLine<O extends OptionSpecs, T = Parsed<O>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  io: UsageIo,
  check: (parsed: Parsed<O>) => T = (parsed) => parsed as T,
): T | number {
  try {
    const parsed = parseCommandLine(spec, argv);
    if (parsed !== 'help') return check(parsed);
    io.out(usage(spec));
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${spec.name}: ${error.message}\n${usage(spec)}`);
    return 2;
  }
}

/** Bad usage found after parsing (a flag combination, a value out of range): message, usage, exit 2. */
export function usageFailure(spec: CommandSpec<OptionSpecs>, message: string, io: UsageIo): 2 {
  io.err(`${spec.name}: ${message}\n${usage(spec)}`);
  return 2;
}

/**
 * For a script that runs at top level: the parsed arguments of this process, or the process ends
 * here (exit 0 after --help, 2 after bad usage).
 */
export function commandLine<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[] = process.argv.slice(2)): Parsed<O> {
  const parsed = readCommandLine(spec, argv, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  if (typeof parsed === 'number') process.exit(parsed);
  return parsed;
}
