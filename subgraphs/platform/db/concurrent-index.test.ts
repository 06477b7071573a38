import { describe, expect, it } from 'vitest';
import { concurrentlyMisused, runsOutsideTransaction } from './concurrent-index.ts';

describe('which migrations run outside a transaction', () => {
  it('given one CREATE or DROP INDEX CONCURRENTLY, with comments around it, then it runs on its own', () => {
    expect(runsOutsideTransaction('-- covering index\nCREATE INDEX CONCURRENTLY "a_idx" ON "A"("x", "y");\n')).toBe(true);
    expect(runsOutsideTransaction('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "a_key" ON "A"("x")')).toBe(true);
    expect(runsOutsideTransaction('/* undo */ DROP INDEX CONCURRENTLY "a_idx";')).toBe(true);
  });

  it('given ordinary DDL, or a plain CREATE INDEX, then it stays in its transaction', () => {
    expect(runsOutsideTransaction('CREATE INDEX "a_idx" ON "A"("x");')).toBe(false);
    expect(runsOutsideTransaction('ALTER TABLE "A" ADD COLUMN "b" INT;')).toBe(false);
    expect(runsOutsideTransaction('')).toBe(false);
  });

  it('given CONCURRENTLY beside another statement, then it is refused rather than run half in a transaction', () => {
    const mixed = 'CREATE INDEX CONCURRENTLY "a_idx" ON "A"("x");\nCREATE INDEX CONCURRENTLY "b_idx" ON "A"("y");';
    expect(runsOutsideTransaction(mixed)).toBe(false);
    expect(concurrentlyMisused(mixed)).toBe(true);
    expect(concurrentlyMisused('CREATE INDEX CONCURRENTLY "a_idx" ON "A"("x");')).toBe(false);
    expect(concurrentlyMisused('-- CONCURRENTLY would be nicer\nALTER TABLE "A" ADD COLUMN "b" INT;')).toBe(false);
  });
});
