/**
 * Writes the configuration table of docs/configuration.md (between its marker comments) from the
 * zod schemas: the platform's (subgraphs/platform/config.ts) and each domain's slice
 * (subgraphs/<domain>/config.ts). With --check it writes nothing and exits 1, naming
 * each variable that drifted, when the committed page is stale or a variable has no description.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { commandLine } from './lib/command-line.ts';
import { CONFIG_PAGE, configDrift, configTable, duplicated, undescribed, withTable } from './lib/config-table.ts';

const { options } = commandLine({
  name: 'config:table',
  summary: `Writes the configuration table of ${CONFIG_PAGE} from the zod schemas (defaults and .describe() texts) of subgraphs/platform/config.ts and each subgraphs/<domain>/config.ts.`,
  options: {
    check: { type: 'boolean', description: 'write nothing; exit 1 naming each variable that drifted when the committed table is stale' },
    print: { type: 'boolean', description: 'print the table on stdout; write nothing' },
  },
});
const missing = [...undescribed(), ...duplicated()];
if (missing.length) {
  for (const problem of missing) console.error(problem);
  process.exit(1);
}
if (options.print) {
  console.log(configTable());
  process.exit(0);
}
const page = await readFile(CONFIG_PAGE, 'utf8');
if (options.check) {
  const drift = configDrift(page);
  if (drift.length) {
    for (const line of drift) console.error(`  ${line}`);
    console.error(`${CONFIG_PAGE} is stale: run \`npm run config:table\` and commit it.`);
    process.exit(1);
  }
  console.error(`${CONFIG_PAGE} is up to date`);
} else {
  const next = withTable(page);
  if (next === page) console.error(`${CONFIG_PAGE} is up to date`);
  else {
    await writeFile(CONFIG_PAGE, next);
    console.error(`wrote ${CONFIG_PAGE}`);
  }
}
