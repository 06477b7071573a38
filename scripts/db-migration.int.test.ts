import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDownScript } from '../subgraphs/platform/db/rollback.ts';

const run = promisify(execFile);
const script = resolve('scripts/migrate-dev.ts');
const tsx = resolve('node_modules/.bin/tsx');

describe('npm run db:migration', () => {
  it('given a Prisma schema with a new column, then it writes the migration and, beside it, a down.sql marked data-loss', async () => {
    // A copy of planning, so the real migrations folder stays as committed.
    const root = await mkdtemp(join(tmpdir(), 'vt-db-migration-'));
    await cp('prisma/planning', join(root, 'prisma/planning'), { recursive: true });
    const schemaPath = join(root, 'prisma/planning/schema.prisma');
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(schemaPath, schema.replace(/model Depot \{\n/, 'model Depot {\n  note String?\n'));

    const { stdout } = await run(tsx, [script, 'depot_note', 'planning'], { cwd: root, timeout: 600_000 });
    expect(stdout).toMatch(/planning: wrote .*_depot_note\/down\.sql \(data-loss: drops column Depot\.note\)/);

    const dir = join(root, 'prisma/planning/migrations');
    const added = (await readdir(dir)).find((n) => n.endsWith('_depot_note'))!;
    expect(await readFile(join(dir, added, 'migration.sql'), 'utf8')).toMatch(/ALTER TABLE "Depot" ADD COLUMN\s+"note" TEXT/);
    const down = parseDownScript(await readFile(join(dir, added, 'down.sql'), 'utf8'));
    expect(down.dataLoss).toBe('drops column Depot.note');
    expect(down.sql).toMatch(/ALTER TABLE "public"\."Depot" DROP COLUMN "note"/);
  }, 600_000);
});
