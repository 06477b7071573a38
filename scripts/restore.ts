/**
 * Restores an archive written by scripts/backup.ts into this configuration's databases.
 *   npm run restore -- <archive>|--latest [--force]
 * The databases must be fresh (missing or empty); --force drops and replaces ones holding data.
 * The mode must match the archive's: POSTGRES_URL set for a PostgreSQL archive, unset for PGlite.
 * Exit codes: 0 restored, 1 failed or refused, 2 bad arguments or configuration.
 */
import type { Env } from '../subgraphs/platform/config.ts';
import { BackupError, latestArchive, restoreBackup } from './lib/backup.ts';
import { formatMs, progressLine, summary } from './lib/backup-cli.ts';
import { processIo, runWhenEntry, scriptConfig, type Io } from './lib/cli.ts';

export const USAGE = `usage: restore <archive> [--force]
       restore --latest [--force]

  <archive>  a backups/voidtracker-*.tar.gz written by npm run backup
  --latest   the newest archive in backups/
  --force    drop and replace databases that already hold data, and restore an archive made by
             newer code (default: refuse both)`;

export async function main(argv: readonly string[], env: Env = process.env, io: Io = processIo()): Promise<number> {
  let archive: string | undefined;
  let latest = false;
  let force = false;
  for (const a of argv) {
    if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    }
    if (a === '--force') force = true;
    else if (a === '--latest') latest = true;
    else if (!a.startsWith('-') && archive === undefined) archive = a;
    else {
      io.err(`restore: unexpected argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (latest && archive) {
    io.err(`restore: give an archive or --latest, not both\n${USAGE}`);
    return 2;
  }
  if (latest) {
    archive = await latestArchive('backups');
    if (!archive) {
      io.err('restore: no archive in backups/');
      return 1;
    }
  }
  if (!archive) {
    io.err(`restore: say which archive\n${USAGE}`);
    return 2;
  }
  const config = scriptConfig(env, io, 'restore');
  if (!config) return 2;
  const timings = new Map<string, number>();
  io.err(`restore: ${archive} into ${config.postgresUrl ? `PostgreSQL (prefix ${config.databasePrefix})` : `PGlite in ${config.dataDir}`}${force ? ', replacing existing data' : ''}…`);
  try {
    const result = await restoreBackup(config, archive, {
      force,
      onProgress: (p) => {
        timings.set(p.domain, p.ms);
        io.err(progressLine('restore', p));
      },
    });
    for (const line of summary(result.manifest.domains, timings, io)) io.out(line);
    io.out('');
    for (const h of result.heads.filter((h) => h.state === 'code-newer')) {
      io.out(`${h.domain}: the archive ends at ${h.archiveHead ?? '(no migrations)'}; this code's ${h.codeHead} and those before it apply when the service starts`);
    }
    io.out(`restored ${result.manifest.domains.length} domain(s) from ${result.manifest.created} in ${formatMs(result.ms)}; start the services to apply newer migrations`);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err(`restore: ${error.code}: ${error.message}`);
    return 1;
  }
}

runWhenEntry(import.meta.url, 'restore', main);
