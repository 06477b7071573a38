import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { availableBackends, type Backend } from '../gateway/testing/harness.ts';
import { dropDatabase, openDatabase, type Database } from '../subgraphs/platform/db/database.ts';
import { applyMigrations, readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { appliedMigrations, applyRollback, planRollback, readDownScripts } from '../subgraphs/platform/db/rollback.ts';
import { schemaSnapshot } from '../subgraphs/platform/db/rollback-snapshot.ts';
import { builtDomains, migrationsDir } from './lib/domains.ts';

const postgresServer = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh empty database on the backend, and how to dispose of it. */
async function freshDatabase(backend: Backend, label: string): Promise<{ db: Database; dispose: () => Promise<void> }> {
  if (backend === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', location: 'memory://' });
    return { db, dispose: () => db.close() };
  }
  const url = new URL(postgresServer);
  url.pathname = `/vt_down_${label}_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ kind: 'postgres', location: url.toString() });
  return {
    db,
    dispose: async () => {
      await db.close();
      await dropDatabase(url.toString());
    },
  };
}

describe.each(await availableBackends())('down.sql of every committed migration on %s', (backend) => {
  it.each(builtDomains())(
    'of %s: each step undone restores the schema before it, and deploy → rollback all → deploy leaves the same schema',
    async (domain) => {
      const migrations = await readMigrations(migrationsDir(domain));
      const downs = await readDownScripts(migrationsDir(domain), migrations.map((m) => m.name));
      const { db, dispose } = await freshDatabase(backend, domain);
      try {
        // The schema after each prefix of the migrations: [0] is the empty database.
        const before = [await schemaSnapshot(db)];
        for (let k = 1; k <= migrations.length; k++) {
          await applyMigrations(db, migrations.slice(0, k));
          before.push(await schemaSnapshot(db));
        }
        expect(before.at(-1)).toMatch(/# columns\n\S/);

        for (let k = migrations.length; k >= 1; k--) {
          const steps = planRollback(await appliedMigrations(db), downs, { force: true });
          expect(steps.map((s) => s.name)).toEqual([migrations[k - 1]!.name]);
          await applyRollback(db, steps);
          expect(await schemaSnapshot(db), `after undoing ${migrations[k - 1]!.name}`).toBe(before[k - 1]);
          expect((await appliedMigrations(db)).map((a) => a.name)).toEqual(migrations.slice(0, k - 1).map((m) => m.name));
        }

        expect(await applyMigrations(db, migrations)).toEqual(migrations.map((m) => m.name));
        expect(await schemaSnapshot(db)).toBe(before.at(-1));
      } finally {
        await dispose();
      }
    },
    300_000,
  );

  it('iam: undoing the admin back office takes PLATFORM_OPERATOR out of the roles that hold it and keeps the rest', async () => {
    const migrations = await readMigrations(migrationsDir('iam'));
    const downs = await readDownScripts(migrationsDir('iam'), migrations.map((m) => m.name));
    const { db, dispose } = await freshDatabase(backend, 'iamroles');
    try {
      await applyMigrations(db, migrations);
      const org = crypto.randomUUID();
      await db.query(`INSERT INTO "Organization" (id, name, slug) VALUES ($1, 'Acme', 'acme')`, [org]);
      await db.query(
        `INSERT INTO "User" (id, "orgId", email, name, "passwordHash", roles) VALUES
           ($1, $3, 'op@acme.test', 'Op', 'x', '{ADMIN,PLATFORM_OPERATOR}'), ($2, $3, 'd@acme.test', 'D', 'x', '{DISPATCHER}')`,
        [crypto.randomUUID(), crypto.randomUUID(), org],
      );
      expect(() => planRollback(migrations.map((m) => ({ name: m.name, appliedAt: new Date() })), downs)).toThrow(/--force/);
      await applyRollback(db, planRollback(await appliedMigrations(db), downs, { force: true }));
      const rows = await db.query<{ email: string; roles: string }>(`SELECT email, roles::text AS roles FROM "User" ORDER BY email`);
      expect(rows).toEqual([
        { email: 'd@acme.test', roles: '{DISPATCHER}' },
        { email: 'op@acme.test', roles: '{ADMIN}' },
      ]);
    } finally {
      await dispose();
    }
  }, 300_000);
});
