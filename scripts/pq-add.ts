/**
 * Adds the operations of .graphql files to a partner's persisted query manifest:
 *   npm run pq:add -- persisted-queries/shop.json examples/partner-shop/operations/*.graphql
 *   (options: --supergraph <file>, default schemas/supergraph.graphql; a folder stands for its .graphql files)
 * Each named operation is stored with the fragments it uses; its id is the SHA-256 of that body.
 * Running it again changes nothing. An operation that does not validate against the supergraph's
 * API schema is refused, and then nothing is written.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  addOperations,
  apiSchemaOf,
  emptyManifest,
  ManifestError,
  operationsOf,
  parseManifest,
  stringifyManifest,
  type ManifestOperation,
} from '../gateway/plugins/partner-manifest.ts';

const USAGE = 'usage: npm run pq:add -- <manifest.json> <operations.graphql | folder>... [--supergraph schemas/supergraph.graphql]';

async function graphqlFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      files.push(...(await readdir(path)).filter((f) => f.endsWith('.graphql') || f.endsWith('.gql')).sort().map((f) => join(path, f)));
    } else {
      files.push(path);
    }
  }
  return files;
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const at = args.indexOf('--supergraph');
  const supergraphPath = at >= 0 ? args.splice(at, 2)[1] : 'schemas/supergraph.graphql';
  const [manifestPath, ...inputs] = args;
  if (!manifestPath || !inputs.length || !supergraphPath) {
    console.error(USAGE);
    return 2;
  }
  const existing = await readFile(manifestPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const manifest = existing === undefined ? emptyManifest() : parseManifest(existing);
  const schema = apiSchemaOf(await readFile(supergraphPath, 'utf8'));

  const operations: ManifestOperation[] = [];
  for (const file of await graphqlFiles(inputs)) {
    try {
      operations.push(...operationsOf(await readFile(file, 'utf8')));
    } catch (error) {
      if (error instanceof ManifestError) throw new ManifestError(`${file} ${error.message}`);
      throw error;
    }
  }
  const names = new Map<string, string>();
  for (const op of operations) {
    const other = names.get(op.name);
    if (other && other !== op.id) throw new ManifestError(`two different operations are named ${op.name}`);
    names.set(op.name, op.id);
  }

  const result = addOperations(manifest, operations, schema);
  for (const op of result.added) {
    const versions = result.manifest.operations.filter((o) => o.name === op.name).length;
    console.log(`added      ${op.type} ${op.name} ${op.id}${versions > 1 ? ` (${versions} versions of ${op.name} are now listed)` : ''}`);
  }
  for (const op of result.unchanged) console.log(`unchanged  ${op.type} ${op.name} ${op.id}`);
  if (result.added.length || existing === undefined) await writeFile(manifestPath, stringifyManifest(result.manifest));
  console.log(`${manifestPath}: ${result.manifest.operations.length} operations (${result.added.length} added)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`pq:add: ${error instanceof ManifestError ? error.message : (error as Error).stack}`);
    process.exit(1);
  },
);
