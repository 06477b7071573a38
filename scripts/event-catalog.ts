/**
 * Writes docs/event-catalog.md from the contracts in code: every event type, its producer, its
 * consumers and its payload fields. With --check it fails when the committed page is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { eventCatalogPage } from './lib/event-catalog.ts';

const path = 'docs/event-catalog.md';
const page = eventCatalogPage();
if (process.argv.includes('--check')) {
  if ((await readFile(path, 'utf8').catch(() => '')) !== page) {
    console.error(`${path} is stale: run \`npm run events:catalog\` and commit it.`);
    process.exit(1);
  }
  console.error(`${path} is up to date`);
} else {
  await writeFile(path, page);
  console.error(`wrote ${path}`);
}
