/**
 * Writes the files generated from the registry of domains (subgraphs/system/subgraphs.ts): the
 * platform's domain list and default ports, supergraph.yaml, docker-compose.yml's subgraph parts,
 * Prometheus' scrape targets and ops/k8s. With --check it writes nothing and exits 1 naming each
 * stale file (pretest runs it as `npm run check:registry`).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commandLine } from './lib/command-line.ts';
import { registryStates } from './lib/registry.ts';

const { options } = commandLine({
  name: 'registry',
  summary: 'Writes the files generated from the registry of domains (subgraphs/system/subgraphs.ts): subgraphs/platform/domains.ts, supergraph.yaml, docker-compose.yml and ops/prometheus/prometheus.yml (their marked parts), ops/k8s.',
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 naming each stale file' } },
});
const stale = (await registryStates()).filter((s) => s.state !== 'ok');
if (options.check) {
  for (const s of stale) console.error(`  ${s.file}: ${s.state}`);
  if (stale.length) {
    console.error('Files generated from the registry of domains are stale: run `npm run registry` and commit the result.');
    process.exit(1);
  }
  console.error('registry: every generated file is up to date');
} else {
  for (const s of stale) {
    if (s.state === 'extra') await rm(s.file);
    else {
      await mkdir(dirname(s.file), { recursive: true });
      await writeFile(s.file, s.content!);
    }
    console.error(`registry: ${s.state === 'extra' ? 'removed' : 'wrote'} ${s.file}`);
  }
  console.error(`registry: ${stale.length} file(s) changed`);
}
