/**
 * Writes docs/event-catalog.md from the contracts in code: every event type, its producer, its
 * consumers and its payload fields. With --check it fails when the committed page is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { eventCatalogPage } from './lib/event-catalog.ts';
import { commandLine } from './lib/command-line.ts';

const path = 'docs/event-catalog.md';
const page = eventCatalogPage();
const { options } = commandLine({
  name: 'events:catalog',
  summary: 'Writes docs/event-catalog.md from the event contracts: types, producers, consumers, payload fields.',
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 when the committed page is stale' } },
});
if (options.check) {
  if ((await readFile(path, 'utf8').catch(() => '')) !== page) {
    console.error(`${path} is stale: run \`npm run events:catalog\` and commit it.`);
    process.exit(1);
  }
  console.error(`${path} is up to date`);
} else {
  await writeFile(path, page);
  console.error(`wrote ${path}`);
}
