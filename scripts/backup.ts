/**
 * Backs up every domain's database into one archive.
 *   npm run backup [-- --out <folder>]
 * PostgreSQL (POSTGRES_URL set): pg_dump, custom format, per database, while the services run.
 * Embedded (DATA_DIR): a copy of each PGlite folder; refused while a process has them open.
 * Exit codes: 0 written, 1 failed or refused, 2 bad arguments or configuration.
 */
import type { Env } from '../subgraphs/platform/config.ts';
import { BackupError, createBackup } from './lib/backup.ts';
import { formatBytes, formatMs, progressLine, summary } from './lib/backup-cli.ts';
import { processIo, runWhenEntry, scriptConfig, type Io } from './lib/cli.ts';
import { builtDomains } from './lib/domains.ts';

export const USAGE = `usage: backup [--out <folder>]

  Writes backups/voidtracker-<time>-<mode>.tar.gz with every domain's database and a manifest.
  --out  the folder to write into (default: backups)`;

export async function main(argv: readonly string[], env: Env = process.env, io: Io = processIo()): Promise<number> {
  let outDir = 'backups';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    }
    if (a === '--out' && argv[i + 1] && !argv[i + 1]!.startsWith('-')) {
      outDir = argv[++i]!;
      continue;
    }
    io.err(`backup: ${a === '--out' ? '--out needs a folder' : `unexpected argument ${a}`}\n${USAGE}`);
    return 2;
  }
  const config = scriptConfig(env, io, 'backup');
  if (!config) return 2;
  const total = builtDomains().length;
  const timings = new Map<string, number>();
  io.err(`backup: ${total} domain(s) from ${config.postgresUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}…`);
  try {
    const result = await createBackup(config, {
      outDir,
      onProgress: (p) => {
        timings.set(p.domain, p.ms);
        io.err(progressLine('backup', p));
      },
    });
    for (const line of summary(result.manifest.domains, timings, io)) io.out(line);
    io.out('');
    io.out(`${result.archive}  ${formatBytes(result.bytes)}  in ${formatMs(result.ms)}`);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err(`backup: ${error.code}: ${error.message}`);
    return 1;
  }
}

runWhenEntry(import.meta.url, 'backup', main);
