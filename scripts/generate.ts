/**
 * Generates each domain's Prisma client and Pothos types when its schema changed. Runs inside
 * `npm start` and `npm test`, never by hand. Prisma's CLI wants a native schema engine even
 * though generate never executes it; any existing file satisfies the check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { builtDomains, prismaSchemaPath } from './lib/domains.ts';
import { commandLine } from './lib/command-line.ts';

commandLine({
  name: 'generate',
  summary: "Generates each domain's Prisma client and Pothos types when its schema changed (run by npm start and npm test).",
  options: {},
});
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

const started = Date.now();
for (const domain of builtDomains()) {
  const schema = prismaSchemaPath(domain);
  const marker = `subgraphs/${domain}/generated/pothos-types.ts`;
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(schema).mtimeMs) continue;
  process.stderr.write(`generate: ${domain} Prisma client and Pothos types\n`);
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (result.status !== 0) {
    process.stderr.write(`generate: prisma generate failed for ${domain}\n`);
    process.exit(result.status ?? 1);
  }
}
process.stderr.write(`generate: done in ${Date.now() - started} ms\n`);
