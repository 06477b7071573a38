import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfig, parseSlice } from '../subgraphs/platform/config.ts';
import { ALL_CONFIG_KEYS, checkDomainSettings } from '../subgraphs/system/config.ts';
import { webhooksConfig } from '../subgraphs/webhooks/config.ts';
import { iamConfig } from '../subgraphs/iam/config.ts';
import { SUBGRAPHS } from '../subgraphs/system/subgraphs.ts';
import { NODE_SUBGRAPH } from '../gateway/node/node-sdl.ts';
import { readSupergraphConfig } from './lib/composition.ts';
import { composeText, composeWith, DOT_ENV } from './testing/compose-file.ts';

// No Docker engine runs here, so the compose file is checked against the code instead.
interface Service {
  build?: { args?: { SERVICE?: string } };
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[];
}
const dockerfile = await readFile('Dockerfile', 'utf8');
const compose = composeWith<{ services: Record<string, Service> }>(DOT_ENV);

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
      for (const key of Object.keys(env)) expect(ALL_CONFIG_KEYS, `${name}: ${key}`).toContain(key);
      expect(() => checkDomainSettings(loadConfig(env)), name).not.toThrow();
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
    // The node subgraph runs inside the gateway: no service of its own to route to.
    for (const name of Object.keys(supergraph.subgraphs).filter((n) => n !== NODE_SUBGRAPH)) {
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

  it('start only with the passwords from .env: none has a default, and compose names the one missing', () => {
    expect(() => composeWith({})).toThrow(/POSTGRES_PASSWORD/);
    expect(() => composeWith({ POSTGRES_PASSWORD: 'x' })).toThrow(/REDIS_PASSWORD/);
    expect(composeText).not.toMatch(/voidtracker@|POSTGRES_PASSWORD: voidtracker/);
    expect(compose.services.postgres!.environment!.POSTGRES_PASSWORD).toBe(DOT_ENV.POSTGRES_PASSWORD);
    expect(compose.services.redis!.command).toEqual(['redis-server', '--requirepass', DOT_ENV.REDIS_PASSWORD]);
    expect(new URL(loadConfig(compose.services.gateway!.environment).redis.url!).password).toBe(DOT_ENV.REDIS_PASSWORD);
    for (const def of SUBGRAPHS) expect(new URL(loadConfig(compose.services[def.name]!.environment).postgresUrl!).password, def.name).toBe(DOT_ENV.POSTGRES_PASSWORD);
  });

  it('publish no database, Kafka or Redis port; the dev override publishes PostgreSQL and Redis on loopback only', async () => {
    for (const name of ['postgres', 'kafka', 'redis']) expect(compose.services[name]!.ports, name).toBeUndefined();
    // Whatever else is published besides the gateway (monitoring, n8n) listens on the host's loopback only.
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'gateway') continue;
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    const dev = YAML.parse(await readFile('docker-compose.dev.yml', 'utf8')) as { services: Record<string, Service> };
    for (const [name, service] of Object.entries(dev.services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    expect(Object.keys(dev.services).sort()).toEqual(['postgres', 'redis']);
  });

  it('give the signing key to iam alone; in production every other process starts without it and verifies through iam', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name !== 'iam') expect(Object.keys(service.environment ?? {}), name).not.toContain('JWT_PRIVATE_KEY');
    }
    const prod = composeWith<{ services: Record<string, Service> }>({ ...DOT_ENV, NODE_ENV: 'production', JWT_PRIVATE_KEY: 'pem' });
    expect(prod.services.iam!.environment!.JWT_PRIVATE_KEY).toBe('pem');
    for (const def of SUBGRAPHS.filter((d) => d.name !== 'iam')) {
      const config = loadConfig(prod.services[def.name]!.environment);
      expect(config.env, def.name).toBe('production');
      expect(parseSlice(iamConfig, config.environment).privateKeyPem, def.name).toBeUndefined();
      expect(config.jwt.jwksUrl, def.name).toBe('http://iam:4001/.well-known/jwks.json');
    }
  });

  it('keep the webhook SSRF guard on unless .env opts out', () => {
    expect(parseSlice(webhooksConfig, compose.services.webhooks!.environment!).blockPrivateNetworks).toBe(true);
    expect(parseSlice(webhooksConfig, composeWith<{ services: Record<string, Service> }>({ ...DOT_ENV, WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'false' }).services.webhooks!.environment!).blockPrivateNetworks).toBe(false);
  });
});
