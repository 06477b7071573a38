import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGenerated, codegen, GENERATED } from './web.ts';

/** `web:codegen -- --check`: fails, naming the files, when the generated types are not current. */
describe('the web app codegen check', () => {
  const copy = mkdtempSync(join(tmpdir(), 'web-gql-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('given freshly generated types, then it passes; given one stale file or a missing one, then it fails naming them', () => {
    codegen();
    cpSync(GENERATED, copy, { recursive: true });
    expect(() => checkGenerated(copy)).not.toThrow();

    writeFileSync(join(copy, 'graphql.ts'), '// generated before the schema changed\n');
    rmSync(join(copy, 'gql.ts'));
    expect(() => checkGenerated(copy)).toThrow(/is stale against schemas\/api\.graphql .*\(gql\.ts, graphql\.ts\); run `npm run web:codegen`/);
  }, 120_000);
});
