import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiSchemaOf, manifestProblems, operationsOf, parseManifest } from '../gateway/plugins/partner-manifest.ts';

const DIR = 'persisted-queries';
const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
const supergraph = await readFile('schemas/supergraph.graphql', 'utf8');
const schema = apiSchemaOf(supergraph);

describe('partner safelists in persisted-queries/', () => {
  it('exist (the shop sample at least)', () => {
    expect(files).toContain('shop.json');
  });

  // One test per manifest, so a failure names the partner it would break.
  it.each(files)('%s parses, and every operation still validates against schemas/supergraph.graphql', async (file) => {
    const manifest = parseManifest(await readFile(`${DIR}/${file}`, 'utf8'));
    expect(manifest.operations.length).toBeGreaterThan(0);
    expect(manifestProblems(manifest, schema), `${file}: a schema change breaks these partner operations`).toEqual([]);
  });

  it('would fail if the supergraph renamed a field a partner uses', async () => {
    const manifest = parseManifest(await readFile(`${DIR}/shop.json`, 'utf8'));
    const withoutEta = supergraph.replace(/^ {2}eta: DateTime @join__field\(graph: PLANNING\)$/m, '  estimatedArrival: DateTime @join__field(graph: PLANNING)');
    expect(withoutEta).not.toBe(supergraph);
    const problems = manifestProblems(manifest, apiSchemaOf(withoutEta));
    expect(problems.map((p) => p.name).sort()).toEqual(['ShopOrders', 'ShopTrackOrder']);
    expect(problems[0]!.errors[0]).toMatch(/Cannot query field "eta" on type "Order"/);
  });

  it('shop.json holds exactly the operations of examples/partner-shop/operations (run `npm run pq:add` after editing them)', async () => {
    const dir = 'examples/partner-shop/operations';
    const sources = (await readdir(dir)).filter((f) => f.endsWith('.graphql'));
    const fromFiles = (await Promise.all(sources.map(async (f) => operationsOf(await readFile(`${dir}/${f}`, 'utf8'))))).flat();
    const manifest = parseManifest(await readFile(`${DIR}/shop.json`, 'utf8'));
    expect(manifest.operations.map((o) => o.id).sort()).toEqual(fromFiles.map((o) => o.id).sort());
  });
});
