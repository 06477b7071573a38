/**
 * Writes the table of plugins in docs/gateway.md (between its marker comments) from the definitions
 * gateway/pipeline.ts lists. With --check it writes nothing and exits 1 when the committed table is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { commandLine } from './lib/command-line.ts';
import { PLUGIN_PAGE, withPluginTable } from './lib/plugin-table.ts';

const { options } = commandLine({
  name: 'plugins:table',
  summary: `Writes the table of plugins in ${PLUGIN_PAGE} from the plugin definitions that gateway/pipeline.ts lists (order, codes, own settings, stream, description).`,
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 when the committed table is stale' } },
});
const page = await readFile(PLUGIN_PAGE, 'utf8');
const next = withPluginTable(page);
if (next === page) console.error(`${PLUGIN_PAGE}: the plugin table is up to date`);
else if (options.check) {
  console.error(`${PLUGIN_PAGE}: the plugin table is stale: run \`npm run plugins:table\` and commit it.`);
  process.exit(1);
} else {
  await writeFile(PLUGIN_PAGE, next);
  console.error(`wrote ${PLUGIN_PAGE}`);
}
