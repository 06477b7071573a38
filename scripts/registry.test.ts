import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CONFIG_DEFAULTS, DOMAINS, loadConfig } from '../subgraphs/platform/config.ts';
import { DEFAULT_PORTS } from '../subgraphs/platform/domains.ts';
import { SUBGRAPHS } from '../subgraphs/system/subgraphs.ts';
import { registeredDomains, type DomainEntry } from './lib/registered-domains.ts';
import { readMarkedFiles, registryFiles, registryStates, withComposeParts } from './lib/registry.ts';

const marked = await readMarkedFiles();
const compose = marked['docker-compose.yml']!;
/** The registry with one more domain, as a newcomer's one line would make it. */
const withFleet = [...registeredDomains(), { name: 'fleet', port: 4008 } as unknown as DomainEntry];

describe('the registry of domains', () => {
  it('names each domain once, each on a port of its own beside the gateway’s', () => {
    const domains = registeredDomains();
    expect(new Set(domains.map((d) => d.name)).size).toBe(domains.length);
    expect(new Set([...domains.map((d) => d.port), CONFIG_DEFAULTS.gateway.port]).size).toBe(domains.length + 1);
  });

  it('is what the platform, the configuration and the start order read (npm run check:registry)', async () => {
    expect([...DOMAINS]).toEqual(SUBGRAPHS.map((d) => d.name));
    expect(Object.entries(DEFAULT_PORTS)).toEqual(registeredDomains().map((d) => [d.name, d.port]));
    expect(CONFIG_DEFAULTS.ports).toEqual(DEFAULT_PORTS);
    expect(loadConfig({ ORDERS_PORT: '5002' }).urls.orders).toBe('http://127.0.0.1:5002/graphql');
    const stale = (await registryStates()).filter((s) => s.state !== 'ok');
    expect(stale.map((s) => `${s.file}: ${s.state}`)).toEqual([]);
  });

  it('given one more domain, then every generated file has it: platform list, supergraph, compose service and gateway route, Prometheus target, k8s', () => {
    const files = registryFiles(marked, withFleet);
    expect(files.get('subgraphs/platform/domains.ts')).toMatch(/'webhooks', 'fleet'\] as const;[\s\S]*fleet: 4008,/);
    expect(YAML.parse(files.get('supergraph.yaml')!).subgraphs.fleet).toEqual({ routing_url: 'http://127.0.0.1:4008/graphql', schema: { file: './schemas/fleet.graphql' } });
    const services = (YAML.parse(files.get('docker-compose.yml')!, { merge: true }) as { services: Record<string, any> }).services;
    expect(services.fleet).toMatchObject({ build: { args: { SERVICE: 'fleet' } }, environment: { FLEET_PORT: '4008' }, depends_on: { iam: { condition: 'service_healthy' } } });
    expect(services.gateway.environment.FLEET_URL).toBe('http://fleet:4008/graphql');
    expect(services.gateway.depends_on.fleet).toEqual({ condition: 'service_healthy' });
    expect(YAML.parse(files.get('ops/prometheus/prometheus.yml')!).scrape_configs[1].static_configs[0].targets).toContain('fleet:4008');
    expect(files.get('ops/k8s/fleet.yaml')).toMatch(/containerPort: 4008/);
    expect(files.get('ops/k8s/kustomization.yaml')).toMatch(/- fleet\.yaml/);
    // The hand-written rest of the compose file is left as it was.
    expect(files.get('docker-compose.yml')!.replace(/fleet|FLEET/g, '')).toContain(compose.slice(0, compose.indexOf('# registry:')));
  });

  it('refuses a compose file whose generated part lost a marker, rather than guess where it goes', () => {
    expect(() => withComposeParts(compose.replace('  # registry:subgraph-services:end\n', ''), registeredDomains())).toThrow(/subgraph-services.*no end marker/);
    expect(() => withComposeParts(compose.replace(/ *# registry:gateway-urls:(start|end)\n/g, ''), registeredDomains())).toThrow(/no markers for gateway-urls/);
  });
});
