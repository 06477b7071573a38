import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**', '.cache/**'],
    // Two cores: more workers only make the suites fight over them.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './scripts/lib/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
