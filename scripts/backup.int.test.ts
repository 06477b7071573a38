import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../subgraphs/platform/config.ts';
import { main as backup } from './backup.ts';
import { BackupError, createBackup, latestArchive, readManifest, restoreBackup, stamp, type Manifest } from './lib/backup.ts';
import type { Io } from './lib/cli.ts';
import { main as restore } from './restore.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vt-backup-unit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const capture = (): Io & { text(): string } => {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), colour: false, text: () => lines.join('\n') };
};

/** Rejects with a BackupError of this code. */
async function refused(work: Promise<unknown>, code: string) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  expect((error as BackupError).code).toBe(code);
  return error as BackupError;
}

/** A tarball holding these files, as an archive or a forgery of one. */
async function archiveOf(name: string, files: Record<string, string>): Promise<string> {
  const src = await mkdtemp(join(dir, 'src-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(src, path, '..'), { recursive: true });
    await writeFile(join(src, path), content);
  }
  const file = join(dir, name);
  execFileSync('tar', ['-czf', file, '-C', src, '.']);
  return file;
}

const manifest = (overrides: Partial<Manifest> = {}): string =>
  JSON.stringify({
    format: 'voidtracker-backup',
    version: 1,
    created: '2026-12-06T21:00:00.000Z',
    mode: 'pglite',
    tool: null,
    domains: [{ name: 'iam', entry: 'iam/', bytes: 1, sha256: null, migrationHead: null, migrations: 0 }],
    ...overrides,
  });

describe('backup refusals', () => {
  it('refuses an in-memory configuration: there is nothing on disk', async () => {
    await refused(createBackup(loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://' }), { outDir: join(dir, 'out') }), 'IN_MEMORY');
  });

  it('refuses PGlite folders a process has open, and writes nothing', async () => {
    const data = join(dir, 'open-data');
    await mkdir(join(data, 'iam'), { recursive: true });
    await writeFile(join(data, 'iam', 'PG_VERSION'), '17\n');
    await writeFile(join(data, 'iam', 'postmaster.pid'), '-42\n');
    const out = join(dir, 'refused-out');
    const error = await refused(createBackup(loadConfig({ NODE_ENV: 'test', DATA_DIR: data }), { outDir: out }), 'SERVICES_RUNNING');
    expect(error.message).toContain(join(data, 'iam'));
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    const io = capture();
    expect(await backup(['--out', out], { NODE_ENV: 'test', DATA_DIR: data }, io)).toBe(1);
    expect(io.text()).toContain('SERVICES_RUNNING');
  });

  it('refuses a folder no graph has started on', async () => {
    const empty = join(dir, 'never-started');
    await refused(createBackup(loadConfig({ NODE_ENV: 'test', DATA_DIR: empty }), { outDir: join(dir, 'out2') }), 'NO_DATABASE');
  });

  it('answers bad arguments with exit code 2 and the usage', async () => {
    const io = capture();
    expect(await backup(['--out'], { NODE_ENV: 'test' }, io)).toBe(2);
    expect(io.text()).toContain('usage: backup');
    expect(await backup(['--bogus'], { NODE_ENV: 'test' }, capture())).toBe(2);
    expect(await restore(['a.tar.gz', 'b.tar.gz'], { NODE_ENV: 'test' }, capture())).toBe(2);
    expect(await restore(['a.tar.gz', '--latest'], { NODE_ENV: 'test' }, capture())).toBe(2);
    expect(await backup([], { NODE_ENV: 'test', DATABASE_PREFIX: 'Bad-Prefix' }, capture())).toBe(2);
  });
});

describe('restore refusals', () => {
  const into = () => loadConfig({ NODE_ENV: 'test', DATA_DIR: join(dir, 'target') });

  it('refuses what is not an archive, an archive without a manifest, and a foreign or newer manifest', async () => {
    await refused(readManifest(join(dir, 'nothing-here.tar.gz')), 'BAD_ARCHIVE');
    await writeFile(join(dir, 'text.tar.gz'), 'plain text');
    await refused(readManifest(join(dir, 'text.tar.gz')), 'BAD_ARCHIVE');
    await refused(readManifest(await archiveOf('bare.tar.gz', { 'iam/PG_VERSION': '17' })), 'BAD_ARCHIVE');
    await refused(readManifest(await archiveOf('foreign.tar.gz', { 'manifest.json': '{"format":"other"}' })), 'BAD_ARCHIVE');
    const newer = await refused(readManifest(await archiveOf('newer.tar.gz', { 'manifest.json': manifest({ version: 2 }) })), 'BAD_ARCHIVE');
    expect(newer.message).toContain('version 2');
  });

  it('refuses a manifest whose entries point outside the archive or name an unknown domain', async () => {
    const escape = manifest({ domains: [{ name: 'iam', entry: '../../etc/', bytes: 1, sha256: null, migrationHead: null, migrations: 0 }] });
    await refused(readManifest(await archiveOf('escape.tar.gz', { 'manifest.json': escape })), 'BAD_ARCHIVE');
    const unknown = manifest({ domains: [{ name: 'payroll' as 'iam', entry: 'payroll/', bytes: 1, sha256: null, migrationHead: null, migrations: 0 }] });
    await refused(readManifest(await archiveOf('unknown.tar.gz', { 'manifest.json': unknown })), 'BAD_ARCHIVE');
  });

  it('refuses a dump whose checksum does not match, before touching any database', async () => {
    const tampered = manifest({ domains: [{ name: 'iam', entry: 'iam.dump', bytes: 4, sha256: '0'.repeat(64), migrationHead: null, migrations: 0 }] });
    const file = await archiveOf('tampered.tar.gz', { 'manifest.json': tampered, 'iam.dump': 'data' });
    await refused(restoreBackup(into(), file), 'BAD_ARCHIVE');
    expect(existsSync(join(dir, 'target'))).toBe(false);
  });

  it('refuses an archive of the other mode, and an in-memory target', async () => {
    const pgArchive = await archiveOf('pg.tar.gz', { 'manifest.json': manifest({ mode: 'postgres' }), 'iam/PG_VERSION': '17' });
    const error = await refused(restoreBackup(into(), pgArchive), 'MODE_MISMATCH');
    expect(error.message).toContain('postgres');
    await refused(restoreBackup(loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://' }), pgArchive), 'IN_MEMORY');
  });

  it('refuses to overwrite a PGlite folder holding a database without --force, and replaces it with', async () => {
    const file = await archiveOf('good.tar.gz', { 'manifest.json': manifest(), 'iam/PG_VERSION': '17\n', 'iam/base/1': 'restored' });
    const target = join(dir, 'occupied');
    await mkdir(join(target, 'iam'), { recursive: true });
    await writeFile(join(target, 'iam', 'PG_VERSION'), '17\n');
    await writeFile(join(target, 'iam', 'stale-file'), 'old');
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: target });
    await refused(restoreBackup(config, file), 'NOT_EMPTY');
    expect(existsSync(join(target, 'iam', 'stale-file'))).toBe(true);
    const progress: string[] = [];
    await restoreBackup(config, file, { force: true, onProgress: (p) => progress.push(`${p.index}/${p.total} ${p.domain} ${p.step}`) });
    expect(progress).toEqual(['1/1 iam restore']);
    expect(existsSync(join(target, 'iam', 'stale-file'))).toBe(false);
    expect(existsSync(join(target, 'iam', 'base', '1'))).toBe(true);
  });
});

describe('migration heads', () => {
  it('refuses an archive made by newer code, names the domain, and lets --force through', async () => {
    const future = manifest({ domains: [{ name: 'iam', entry: 'iam/', bytes: 1, sha256: null, migrationHead: '99991231000000_future', migrations: 9 }] });
    const file = await archiveOf('future.tar.gz', { 'manifest.json': future, 'iam/PG_VERSION': '17\n' });
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: join(dir, 'future-target') });
    const error = await refused(restoreBackup(config, file), 'NEWER_SCHEMA');
    expect(error.message).toContain('iam has 99991231000000_future');
    expect(existsSync(join(dir, 'future-target'))).toBe(false);
    const result = await restoreBackup(config, file, { force: true });
    expect(result.heads).toEqual([expect.objectContaining({ domain: 'iam', archiveHead: '99991231000000_future', state: 'archive-newer' })]);
  });

  it('says which domains will migrate at start when the code is newer than the archive', async () => {
    const old = await archiveOf('old.tar.gz', { 'manifest.json': manifest(), 'iam/PG_VERSION': '17\n' });
    const io = capture();
    expect(await restore([old], { NODE_ENV: 'test', DATA_DIR: join(dir, 'old-target') }, io), io.text()).toBe(0);
    expect(io.text()).toMatch(/iam: the archive ends at \(no migrations\); this code's \d{14}_\w+ and those before it apply when the service starts/);
  });
});

describe('archive names', () => {
  it('are UTC time stamps that sort in time order, and --latest takes the newest', async () => {
    expect(stamp(new Date('2026-12-06T21:04:06.789Z'))).toBe('2026-12-06T21-04-06Z');
    const folder = join(dir, 'several');
    await mkdir(folder);
    for (const t of ['2026-01-02T00-00-00Z', '2026-11-30T23-59-59Z', '2025-12-31T00-00-00Z']) await writeFile(join(folder, `voidtracker-${t}-pglite.tar.gz`), '');
    await writeFile(join(folder, 'unrelated.tar.gz'), '');
    expect(await latestArchive(folder)).toBe(join(folder, 'voidtracker-2026-11-30T23-59-59Z-pglite.tar.gz'));
    expect(await latestArchive(join(dir, 'no-such-folder'))).toBeUndefined();
  });
});
