import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Migration } from '../../subgraphs/platform/db/migrate.ts';

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

let loaded: Promise<{ SchemaEngine: { new: (o: unknown, log: (m: string) => void, adapter: object) => Promise<Engine> } }> | undefined;

/**
 * Prisma's schema engine as WebAssembly: its native binary cannot be downloaded here, and the
 * wasm build diffs schemas just as well. Instantiated by hand so Node needs no experimental flag.
 */
function loadEngine() {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@prisma/schema-engine-wasm'));
    const bg = await import(join(dir, 'schema_engine_bg.js'));
    const bytes = await readFile(join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return loaded;
}

/** A side of a diff: the state the migrations leave a database in (one folder each, its migration.sql). */
export const migrationsSide = (schemaPath: string, migrations: Migration[]) => ({
  tag: 'migrations',
  baseDir: dirname(schemaPath),
  lockfile: { path: 'migration_lock.toml', content: 'provider = "postgresql"\n' },
  shadowDbInitScript: '',
  migrationDirectories: migrations.map((m) => ({ path: m.name, migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } } })),
});

/**
 * The SQL that takes a database from one side to the other; empty when they agree. The engine
 * wants the schema to know the provider by. A throwaway in-memory PGlite is the shadow database.
 */
export async function diffSql(schemaPath: string, schema: string, from: object, to: object): Promise<string> {
  const { SchemaEngine } = await loadEngine();
  const shadow = new PGlite();
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(shadow)),
  );
  try {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
    const sql = result.stdout ?? '';
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? '' : sql;
  } finally {
    engine.free();
    await shadow.close();
  }
}

/** The SQL that takes a database from the state the migrations leave it in to the Prisma schema. */
export async function diffMigrationsToSchema(schemaPath: string, migrations: Migration[]): Promise<string> {
  const schema = await readFile(schemaPath, 'utf8');
  return diffSql(schemaPath, schema, migrationsSide(schemaPath, migrations), { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] });
}
