import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../subgraphs/platform/db/database.ts';
import { applyMigrations, readMigrations, type Migration } from '../../subgraphs/platform/db/migrate.ts';
import { applyRollback, parseDownScript } from '../../subgraphs/platform/db/rollback.ts';
import { schemaSnapshot } from '../../subgraphs/platform/db/rollback-snapshot.ts';
import { dataLossIn, downScript, reverseSql, withoutTransactionControl } from './down-script.ts';
import { migrationsDir, prismaSchemaPath } from './domains.ts';

describe('what a down script loses', () => {
  it('names dropped tables (schema-qualified or not), dropped columns and changed column types', () => {
    const sql = `DROP TABLE "public"."Order";
DROP TABLE "Parcel";
ALTER TABLE "public"."Depot" DROP COLUMN "timeZone",
DROP COLUMN "name";
ALTER TABLE "Stop" ALTER COLUMN "sequence" SET DATA TYPE SMALLINT;`;
    expect(dataLossIn(sql)).toEqual([
      'drops tables Order, Parcel',
      'drops column Depot.timeZone',
      'drops column Depot.name',
      'changes the type of Stop.sequence',
    ]);
  });

  it('names an enum losing values once, not each column cast to the smaller type', () => {
    const sql = `BEGIN;
CREATE TYPE "public"."Role_new" AS ENUM ('ADMIN');
ALTER TABLE "public"."User" ALTER COLUMN "roles" TYPE "public"."Role_new"[] USING ("roles"::text::"public"."Role_new"[]);
ALTER TYPE "public"."Role" RENAME TO "Role_old";
COMMIT;`;
    expect(dataLossIn(sql)).toEqual(['removes values of enum Role']);
  });

  it('finds no loss in indexes, constraints, new columns, or in comments that mention drops', () => {
    const sql = `/*
  Warnings:
  - You are about to drop the column \`x\` on the \`T\` table. DROP TABLE "T";
*/
-- DROP TABLE "Commented";
DROP INDEX "public"."User_orgId_id_idx";
ALTER TABLE "Vehicle" DROP CONSTRAINT "Vehicle_homeDepotId_fkey";
ALTER TABLE "Depot" ADD COLUMN "note" TEXT;
CREATE INDEX "User_orgId_idx" ON "User"("orgId");`;
    expect(dataLossIn(sql)).toEqual([]);
  });

  it('takes out only the BEGIN/COMMIT lines, since each rollback step is already one transaction', () => {
    const out = withoutTransactionControl('BEGIN;\nCREATE TYPE "A_new" AS ENUM (\'x\');\nCOMMIT;\n-- BEGIN; stays in a comment\n');
    expect(out).not.toMatch(/^\s*(BEGIN|COMMIT);/m);
    expect(out).toContain('CREATE TYPE "A_new" AS ENUM (\'x\');');
    expect(out).toContain('-- BEGIN; stays in a comment');
  });

  it('puts the marker on the first line exactly when data is lost, so the rollback reads it back', () => {
    const losing = downScript('DROP TABLE "Quote";', '3_quotes');
    expect(losing.split('\n')[0]).toBe('-- data-loss: drops table Quote');
    expect(parseDownScript(losing).dataLoss).toBe('drops table Quote');
    const safe = downScript('DROP INDEX "Quote_orgId_idx";', '4_index');
    expect(parseDownScript(safe).dataLoss).toBeUndefined();
    expect(safe).toMatch(/^-- Undoes 4_index/);
  });
});

describe('the reverse diff db:migration writes as down.sql', () => {
  it('given planning and a migration adding a column, then the reverse drops it, is marked data-loss, and restores the schema', async () => {
    // Planning's migrations up to the one that added Depot.timeZone (later ones are not this test's).
    const every = await readMigrations(migrationsDir('planning'));
    const all = every.slice(0, every.findIndex((m) => /depot_time_zone/.test(m.name)) + 1);
    const before = all.slice(0, -1);
    expect(all.at(-1)!.name).toMatch(/depot_time_zone/);
    const down = downScript(await reverseSql(prismaSchemaPath('planning'), before, all), all.at(-1)!.name);
    expect(down).toMatch(/ALTER TABLE "public"\."Depot" DROP COLUMN "timeZone"/);
    expect(parseDownScript(down).dataLoss).toBe('drops column Depot.timeZone');

    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    try {
      await applyMigrations(db, before);
      const expected = await schemaSnapshot(db);
      await applyMigrations(db, all);
      await applyRollback(db, [{ name: all.at(-1)!.name, down: parseDownScript(down) }]);
      expect(await schemaSnapshot(db)).toBe(expected);
    } finally {
      await db.close();
    }
  }, 300_000);

  it('given a migration adding only an index, then the reverse drops the index and loses no data', async () => {
    const before = await readMigrations(migrationsDir('planning'));
    const index: Migration = { name: '29990101000000_depot_city', sql: 'CREATE INDEX "Depot_city_idx" ON "Depot"("city");', checksum: 'x' };
    const down = downScript(await reverseSql(prismaSchemaPath('planning'), before, [...before, index]), index.name);
    expect(down).toMatch(/DROP INDEX "public"\."Depot_city_idx"/);
    expect(parseDownScript(down).dataLoss).toBeUndefined();
  }, 300_000);
});
