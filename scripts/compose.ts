/**
 * Prints every subgraph's SDL to schemas/<name>.graphql and composes schemas/supergraph.graphql
 * offline, and the client-facing schema (API schema + Subscription) to schemas/api.graphql. With --check it writes nothing and fails when a committed file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { clientSchema, compose, printSubgraphs, readSupergraphConfig } from './lib/composition.ts';
import { commandLine } from './lib/command-line.ts';

const check = commandLine({
  name: 'compose',
  summary: 'Prints every subgraph SDL to schemas/, composes schemas/supergraph.graphql and the client schema schemas/api.graphql.',
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 when a committed file is stale' } },
}).options.check;
const config = await readSupergraphConfig();
const sdls = printSubgraphs();
const outputs = new Map<string, string>();
for (const [name, sdl] of sdls) outputs.set(config.subgraphs[name]?.schema.file ?? `schemas/${name}.graphql`, sdl);
const supergraph = compose(config, sdls);
outputs.set('schemas/supergraph.graphql', supergraph);
outputs.set('schemas/api.graphql', clientSchema(supergraph));

let stale = 0;
for (const [path, content] of outputs) {
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === content) continue;
  if (check) {
    stale++;
    console.error(`stale: ${path}`);
  } else {
    await writeFile(path, content);
    console.error(`compose: wrote ${path}`);
  }
}
if (stale) {
  console.error('Schemas are stale: run `npm run compose` and commit the result.');
  process.exit(1);
}
console.error(`compose: ${sdls.size} subgraphs ${check ? 'checked' : 'composed'}`);
