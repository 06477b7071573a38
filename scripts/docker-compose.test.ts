import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../subgraphs/kernel/config.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { readSupergraphConfig } from './lib/composition.ts';

// No Docker engine runs here, so the compose file is checked against the code instead.
interface Service {
  build?: { args?: { SERVICE?: string } };
  environment?: Record<string, string>;
  ports?: string[];
}
const compose = YAML.parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const dockerfile = await readFile('Dockerfile', 'utf8');

describe('docker-compose.yml and the Dockerfile', () => {
  it('run every built subgraph and the gateway from the one image', () => {
    for (const name of [...SUBGRAPHS.map((s) => s.name), 'gateway']) {
      expect(compose.services[name]?.build?.args?.SERVICE, name).toBe(name);
    }
    expect(compose.services.postgres).toBeDefined();
    expect(compose.services.kafka).toBeDefined();
  });

  it('set only configuration the code reads, and each service’s configuration parses', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      const env = service.environment ?? {};
      for (const key of Object.keys(env)) expect(CONFIG_KEYS, `${name}: ${key}`).toContain(key);
      expect(() => loadConfig(env), name).not.toThrow();
    }
  });

  it('connect every subgraph to the Kafka broker, since events cross containers', () => {
    for (const def of SUBGRAPHS) {
      expect(loadConfig(compose.services[def.name]!.environment).events, def.name).toMatchObject({ transport: 'kafka', kafkaBrokers: ['kafka:9092'] });
    }
  });

  it('route the gateway to every subgraph of the supergraph on the port that subgraph listens on', async () => {
    const supergraph = await readSupergraphConfig();
    const gatewayConfig = loadConfig(compose.services.gateway!.environment);
    for (const name of Object.keys(supergraph.subgraphs)) {
      const service = compose.services[name]!;
      const port = loadConfig(service.environment).ports[name as keyof typeof gatewayConfig.urls];
      expect(gatewayConfig.urls[name as keyof typeof gatewayConfig.urls]).toBe(`http://${name}:${port}/graphql`);
    }
  });

  it('copy into the image everything a process needs at run time', () => {
    for (const path of ['gateway', 'subgraphs', 'schemas', 'persisted-queries', 'prisma', 'scripts', 'supergraph.yaml', 'package-lock.json']) {
      expect(dockerfile, path).toMatch(new RegExp(`COPY [^\\n]*${path.replace('.', '\\.')}`));
    }
  });
});
