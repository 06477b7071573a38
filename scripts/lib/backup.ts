/**
 * Backup and restore of every domain's database as one archive (scripts/backup.ts, scripts/restore.ts).
 *
 * An archive is a gzipped tar holding manifest.json and one entry per domain: a pg_dump custom-format
 * file (`<domain>.dump`) in PostgreSQL mode, or a copy of the PGlite data folder (`<domain>/`) in
 * embedded mode. Restores go into fresh databases only, unless the operator forces an overwrite.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { DOMAINS, databaseFor, type Config, type Domain } from '../../subgraphs/platform/config.ts';
import { dropDatabase, ensureDatabaseExists, pgliteFolderInUse } from '../../subgraphs/platform/db/database.ts';
import { keepOutOfGit } from '../../subgraphs/platform/db/data-dir.ts';
import { readMigrations } from '../../subgraphs/platform/db/migrate.ts';
import { builtDomains, migrationsDir } from './domains.ts';

const run = promisify(execFile);

export const MANIFEST_FORMAT = 'voidtracker-backup';
export const MANIFEST_VERSION = 1;

export type BackupMode = 'pglite' | 'postgres';

export interface ManifestDomain {
  name: Domain;
  /** Path inside the archive: `<domain>.dump` (postgres) or `<domain>/` (pglite). */
  entry: string;
  bytes: number;
  /** SHA-256 of the dump file (postgres); a PGlite folder has none. */
  sha256: string | null;
  /** The newest applied migration, as recorded in `_prisma_migrations`. */
  migrationHead: string | null;
  migrations: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  created: string;
  mode: BackupMode;
  /** pg_dump's version line (postgres mode). */
  tool: string | null;
  domains: ManifestDomain[];
}

/** The stable codes an operator (or a test) can act on. */
export type BackupErrorCode =
  | 'IN_MEMORY'
  | 'SERVICES_RUNNING'
  | 'NO_DATABASE'
  | 'NOT_EMPTY'
  | 'MODE_MISMATCH'
  | 'BAD_ARCHIVE'
  | 'NEWER_SCHEMA'
  | 'ARCHIVE_EXISTS'
  | 'TOOL_MISSING'
  | 'TOOL_FAILED';

export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Step = 'dump' | 'copy' | 'restore' | 'check';

export interface Progress {
  domain: Domain;
  /** 1-based position of this domain, and how many there are. */
  index: number;
  total: number;
  step: Step;
  ms: number;
  bytes: number;
  migrationHead: string | null;
}

export interface BackupOptions {
  /** Folder the archive goes into (backups/). */
  outDir: string;
  /** Called once per domain when it is done. */
  onProgress?: (p: Progress) => void;
  now?: Date;
}

export interface BackupResult {
  archive: string;
  manifest: Manifest;
  bytes: number;
  ms: number;
}

const modeOf = (config: Config): BackupMode => (config.postgresUrl ? 'postgres' : 'pglite');

/** `2026-12-06T21-04-06Z`: sortable, and safe in every file system. */
export const stamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');

/** Every built domain's database into one timestamped archive under `outDir`. */
export async function createBackup(config: Config, options: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const mode = modeOf(config);
  if (mode === 'pglite' && config.dataDir === 'memory://') {
    throw new BackupError('IN_MEMORY', 'DATA_DIR is memory://: there are no files to back up');
  }
  const domains = builtDomains();
  const created = options.now ?? new Date();
  const name = `voidtracker-${stamp(created)}-${mode}`;
  await mkdir(options.outDir, { recursive: true });
  const archive = resolve(options.outDir, `${name}.tar.gz`);
  if (existsSync(archive)) throw new BackupError('ARCHIVE_EXISTS', `${archive} already exists: one backup a second`);
  // Everything is checked before anything is written, so a refusal leaves nothing behind.
  if (mode === 'pglite') for (const d of domains) assertPgliteIdle(databaseFor(config, d).location, d);
  const pgDump = mode === 'postgres' ? await postgresTool('pg_dump', config.postgresUrl!) : undefined;

  const staging = await mkdtemp(join(tmpdir(), 'voidtracker-backup-'));
  try {
    const entries: ManifestDomain[] = [];
    for (const domain of domains) {
      const t0 = Date.now();
      const location = databaseFor(config, domain).location;
      let entry: ManifestDomain;
      if (mode === 'postgres') {
        const heads = await withPostgres(location, domain, readHeads);
        const file = join(staging, `${domain}.dump`);
        await tool(pgDump!.path, ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${location}`]);
        entry = { name: domain, entry: `${domain}.dump`, bytes: (await stat(file)).size, sha256: await sha256(file), ...heads };
      } else {
        const heads = await withPglite(location, readHeads);
        const target = join(staging, domain);
        // The folder was idle when checked and PGlite closed it cleanly above, so a file copy is consistent.
        await cp(location, target, { recursive: true, filter: (src) => !src.endsWith('postmaster.pid') });
        entry = { name: domain, entry: `${domain}/`, bytes: await folderBytes(target), sha256: null, ...heads };
      }
      entries.push(entry);
      options.onProgress?.({ domain, index: entries.length, total: domains.length, step: mode === 'postgres' ? 'dump' : 'copy', ms: Date.now() - t0, bytes: entry.bytes, migrationHead: entry.migrationHead });
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      created: created.toISOString(),
      mode,
      tool: pgDump?.version ?? null,
      domains: entries,
    };
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // Written beside its final name and renamed, so backups/ never holds a half-written archive.
    const partial = `${archive}.partial`;
    await tool('tar', ['-czf', partial, '-C', staging, '.']);
    await rename(partial, archive);
    return { archive, manifest, bytes: (await stat(archive)).size, ms: Date.now() - started };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export interface RestoreOptions {
  /** Drop and replace databases that already hold data. */
  force?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface RestoreResult {
  manifest: Manifest;
  heads: HeadComparison[];
  ms: number;
}

/** Reads an archive's manifest without restoring anything. */
export async function readManifest(archive: string): Promise<Manifest> {
  return withExtracted(archive, (dir) => loadManifest(dir));
}

/** Restores every domain of an archive into this configuration's databases. */
export async function restoreBackup(config: Config, archive: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const mode = modeOf(config);
  if (mode === 'pglite' && config.dataDir === 'memory://') {
    throw new BackupError('IN_MEMORY', 'DATA_DIR is memory://: set DATA_DIR (or POSTGRES_URL) to where the databases should go');
  }
  return withExtracted(archive, async (dir) => {
    const manifest = await loadManifest(dir);
    if (manifest.mode !== mode) {
      throw new BackupError(
        'MODE_MISMATCH',
        `the archive holds ${manifest.mode} databases but this configuration is ${mode} (${mode === 'postgres' ? 'POSTGRES_URL is set' : 'POSTGRES_URL is unset'})`,
      );
    }
    // Refusals first, for every domain, so a refused restore changes nothing.
    const heads = await compareHeads(manifest);
    const ahead = heads.filter((h) => h.state === 'archive-newer');
    if (ahead.length && !options.force) {
      throw new BackupError(
        'NEWER_SCHEMA',
        `the archive was made by newer code: ${ahead.map((h) => `${h.domain} has ${h.archiveHead}, this code ends at ${h.codeHead ?? '(none)'}`).join('; ')}. Restore with that version, or pass --force`,
      );
    }
    for (const d of manifest.domains) {
      const location = databaseFor(config, d.name).location;
      if (!existsSync(join(dir, d.entry))) throw new BackupError('BAD_ARCHIVE', `the archive lacks ${d.entry}`);
      if (d.sha256 && (await sha256(join(dir, d.entry))) !== d.sha256) throw new BackupError('BAD_ARCHIVE', `${d.entry} does not match its checksum`);
      if (mode === 'pglite') {
        assertPgliteIdle(location, d.name);
        if (!options.force && existsSync(join(location, 'PG_VERSION'))) {
          throw new BackupError('NOT_EMPTY', `${d.name}: ${location} already holds a database; restore into a fresh DATA_DIR or pass --force to replace it`);
        }
      } else if (!options.force && (await postgresTables(location)) > 0) {
        throw new BackupError('NOT_EMPTY', `${d.name}: database ${databaseName(location)} already holds tables; restore into fresh databases (DATABASE_PREFIX) or pass --force to replace it`);
      }
    }
    const pgRestore = mode === 'postgres' ? await postgresTool('pg_restore', config.postgresUrl!) : undefined;
    for (const d of manifest.domains) {
      const t0 = Date.now();
      const location = databaseFor(config, d.name).location;
      if (mode === 'postgres') {
        await dropDatabase(location);
        await ensureDatabaseExists(location);
        await tool(pgRestore!.path, ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${location}`, join(dir, d.entry)]);
      } else {
        await rm(location, { recursive: true, force: true });
        await keepOutOfGit(join(location, '..'));
        await cp(join(dir, d.entry), location, { recursive: true });
      }
      options.onProgress?.({ domain: d.name, index: manifest.domains.indexOf(d) + 1, total: manifest.domains.length, step: 'restore', ms: Date.now() - t0, bytes: d.bytes, migrationHead: d.migrationHead });
    }
    return { manifest, heads, ms: Date.now() - started };
  });
}

export interface HeadComparison {
  domain: Domain;
  archiveHead: string | null;
  codeHead: string | null;
  /** code-newer: the services apply the missing migrations at start; archive-newer: this code cannot run on it. */
  state: 'same' | 'code-newer' | 'archive-newer';
}

/** Each domain's migration head in the archive against this checkout's newest migration. */
export async function compareHeads(manifest: Manifest): Promise<HeadComparison[]> {
  return Promise.all(
    manifest.domains.map(async (d) => {
      const names = (await readMigrations(migrationsDir(d.name))).map((m) => m.name);
      const codeHead = names.at(-1) ?? null;
      const archiveHead = d.migrationHead;
      // Migration names start with a UTC time stamp, so name order is the order they were written.
      const state = archiveHead === codeHead ? 'same' : archiveHead !== null && !names.includes(archiveHead) && (codeHead === null || archiveHead > codeHead) ? 'archive-newer' : 'code-newer';
      return { domain: d.name, archiveHead, codeHead, state };
    }),
  );
}

/** Newest archive in a folder, for `restore --latest` and the docs' examples. */
export async function latestArchive(dir: string): Promise<string | undefined> {
  if (!existsSync(dir)) return undefined;
  const names = (await readdir(dir)).filter((n) => n.startsWith('voidtracker-') && n.endsWith('.tar.gz')).sort();
  return names.length ? resolve(dir, names[names.length - 1]!) : undefined;
}

// ---------------------------------------------------------------------------------------------

/** Copying a folder a running service writes to could tear pages. */
function assertPgliteIdle(location: string, domain: Domain) {
  if (pgliteFolderInUse(location)) {
    throw new BackupError(
      'SERVICES_RUNNING',
      `${domain}: ${location} is open (postmaster.pid present). Stop the services using DATA_DIR first; if none runs, a crashed one left the file: start and stop the graph once to close it cleanly`,
    );
  }
}

type Heads = Pick<ManifestDomain, 'migrationHead' | 'migrations'>;
type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

async function readHeads(query: Query): Promise<Heads> {
  const [table] = await query(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!table?.t) return { migrationHead: null, migrations: 0 };
  const rows = await query(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return { migrationHead: (rows.at(-1)?.migration_name as string | undefined) ?? null, migrations: rows.length };
}

async function withPglite<T>(location: string, work: (q: Query) => Promise<T>): Promise<T> {
  if (!existsSync(join(location, 'PG_VERSION'))) throw new BackupError('NO_DATABASE', `no PGlite database at ${location}: has the graph been started with this DATA_DIR?`);
  const db = await PGlite.create(location);
  try {
    return await work(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await db.close();
  }
}

const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

async function withPostgres<T>(url: string, domain: Domain, work: (q: Query) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') throw new BackupError('NO_DATABASE', `${domain}: database ${databaseName(url)} does not exist`);
    throw error;
  }
  try {
    return await work(async (sql) => (await client.query(sql)).rows);
  } finally {
    await client.end();
  }
}

/** User tables in a database; a missing database counts as empty (restore creates it). */
async function postgresTables(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return 0;
    throw error;
  }
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%'`,
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/**
 * pg_dump refuses a server newer than itself, so the tool must be at least the server's major
 * version: Debian's versioned folder for exactly that major first, else whatever is on PATH.
 */
async function postgresTool(name: 'pg_dump' | 'pg_restore', serverUrl: string): Promise<{ path: string; version: string }> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  let serverMajor: number;
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    serverMajor = Math.floor(Number(rows[0]!.v) / 10_000);
  } finally {
    await client.end();
  }
  const versioned = `/usr/lib/postgresql/${serverMajor}/bin/${name}`;
  const path = existsSync(versioned) ? versioned : name;
  let version: string;
  try {
    version = (await run(path, ['--version'])).stdout.trim();
  } catch {
    throw new BackupError('TOOL_MISSING', `${name} is not installed (PostgreSQL ${serverMajor} client tools are needed, e.g. apt-get install postgresql-client-${serverMajor})`);
  }
  const major = Number(/(\d+)(?:\.\d+)?/.exec(version.replace(/^\D+/, ''))?.[1]);
  if (!(major >= serverMajor)) {
    throw new BackupError('TOOL_MISSING', `${version} is older than the server (PostgreSQL ${serverMajor}); install postgresql-client-${serverMajor}`);
  }
  return { path, version };
}

async function tool(command: string, args: string[]): Promise<void> {
  try {
    await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string | number; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new BackupError('TOOL_MISSING', `${command} is not installed`);
    // Connection strings may carry a password: name the tool, not its arguments.
    throw new BackupError('TOOL_FAILED', `${command} failed: ${(e.stderr || e.message).trim().replace(/postgres(ql)?:\/\/[^\s@]*@/g, 'postgres://***@')}`);
  }
}

async function withExtracted<T>(archive: string, work: (dir: string) => Promise<T>): Promise<T> {
  if (!existsSync(archive)) throw new BackupError('BAD_ARCHIVE', `no archive at ${archive}`);
  const dir = await mkdtemp(join(tmpdir(), 'voidtracker-restore-'));
  try {
    try {
      await run('tar', ['-xzf', resolve(archive), '-C', dir]);
    } catch (error) {
      throw new BackupError('BAD_ARCHIVE', `${archive} is not a readable .tar.gz: ${((error as { stderr?: string }).stderr ?? '').trim()}`);
    }
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function loadManifest(dir: string): Promise<Manifest> {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new BackupError('BAD_ARCHIVE', 'the archive has no manifest.json: not a VoidTracker backup');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch {
    throw new BackupError('BAD_ARCHIVE', 'manifest.json is not JSON');
  }
  if (manifest.format !== MANIFEST_FORMAT) throw new BackupError('BAD_ARCHIVE', 'manifest.json is not a VoidTracker backup manifest');
  if (manifest.version !== MANIFEST_VERSION) throw new BackupError('BAD_ARCHIVE', `manifest version ${manifest.version} is not supported (this build reads ${MANIFEST_VERSION})`);
  if (!Array.isArray(manifest.domains) || !manifest.domains.length) throw new BackupError('BAD_ARCHIVE', 'manifest.json lists no domains');
  for (const d of manifest.domains) {
    // The entry names paths we write to and read from; accept only the shapes backup writes.
    if (!(DOMAINS as readonly string[]).includes(d.name) || (d.entry !== `${d.name}.dump` && d.entry !== `${d.name}/`)) {
      throw new BackupError('BAD_ARCHIVE', `manifest.json has an invalid domain entry: ${JSON.stringify(d.name)}`);
    }
  }
  return manifest;
}

function sha256(file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
