/**
 * Writes a new migration for every domain whose Prisma schema moved ahead of its migrations:
 *   npm run db:migration -- <name> [domain]
 * The SQL comes from Prisma's schema engine, in Prisma's folder layout, so `prisma migrate deploy`
 * applies the same files on ordinary machines. Beside each it writes down.sql, the reverse diff
 * (marked `-- data-loss: <why>` when undoing drops data) that `npm run db -- rollback` runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { downScript, reverseSql } from './lib/down-script.ts';
import { builtDomains, migrationsDir, prismaSchemaPath } from './lib/domains.ts';
import { diffMigrationsToSchema } from './lib/schema-engine.ts';
import { commandLine } from './lib/command-line.ts';

const { positionals } = commandLine({
  name: 'db:migration',
  summary: "Writes a migration (and its down.sql) for every domain whose Prisma schema moved ahead of its migrations.",
  positionals: ['[name]', '[domain]'],
  options: {},
});
const name = (positionals[0] ?? 'change').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);

const only = positionals[1];
if (only && !builtDomains().includes(only as never)) {
  console.error(`db:migration: unknown domain '${only}' (built: ${builtDomains().join(', ')})`);
  process.exit(2);
}

for (const domain of builtDomains().filter((d) => !only || d === only)) {
  const dir = migrationsDir(domain);
  const before = await readMigrations(dir);
  const sql = await diffMigrationsToSchema(prismaSchemaPath(domain), before);
  if (!sql) {
    console.log(`${domain}: up to date`);
    continue;
  }
  await mkdir(`${dir}/${stamp}_${name}`, { recursive: true });
  await writeFile(`${dir}/${stamp}_${name}/migration.sql`, sql);
  await writeFile(`${dir}/migration_lock.toml`, '# Written by scripts/migrate-dev.ts; keep it in git.\nprovider = "postgresql"\n');
  console.log(`${domain}: wrote ${dir}/${stamp}_${name}/migration.sql; computing its reverse…`);
  const added = `${stamp}_${name}`;
  const down = downScript(await reverseSql(prismaSchemaPath(domain), before, await readMigrations(dir)), added);
  await writeFile(`${dir}/${added}/down.sql`, down);
  const marker = down.split('\n', 1)[0]!;
  console.log(`${domain}: wrote ${dir}/${added}/down.sql${marker.startsWith('-- data-loss:') ? ` (${marker.slice(3)})` : ''}`);
}
