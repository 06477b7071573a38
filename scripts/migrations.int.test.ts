import { describe, expect, it } from 'vitest';
import { readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { builtDomains, migrationsDir, prismaSchemaPath } from './lib/domains.ts';
import { diffMigrationsToSchema } from './lib/schema-engine.ts';

describe('committed migrations', () => {
  it.each(builtDomains())('of %s build exactly its Prisma schema (run `npm run db:migration -- <name>` when this fails)', async (domain) => {
    const migrations = await readMigrations(migrationsDir(domain));
    expect(migrations.length).toBeGreaterThan(0);
    expect(await diffMigrationsToSchema(prismaSchemaPath(domain), migrations)).toBe('');
  });

  it('notices a schema that moved ahead of its migrations', async () => {
    const [first] = await readMigrations(migrationsDir('orders'));
    const sql = await diffMigrationsToSchema(prismaSchemaPath('orders'), [{ ...first!, sql: '' }]);
    expect(sql).toMatch(/CREATE TABLE "Order"/);
  });
});
