import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../subgraphs/platform/config.ts';
import { ALL_CONFIG_KEYS } from '../subgraphs/system/config.ts';
import type { Io } from './lib/cli.ts';
import { deployedServices, portOf, PRE_STOP_SLEEP_SECONDS } from './k8s-manifests.ts';
import { main } from './k8s.ts';

const DIR = 'ops/k8s';
type Doc = { kind: string; metadata: { name: string }; spec: any; data?: Record<string, string> };
const docsOf = (file: string): Doc[] => parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => d.toJS() as Doc);
const all = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).flatMap(docsOf);
const find = (kind: string, name: string) => all.find((d) => d.kind === kind && d.metadata.name === name);
const config = find('ConfigMap', 'voidtracker-config')!.data!;

const quiet = (): Io & { text(): string } => {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), colour: false, text: () => lines.join('\n') };
};

const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('ops/k8s', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const d of scratch) await rm(d, { recursive: true, force: true });
  });

  it.each(deployedServices())('%s: a Deployment and Service, both probes on its own port, requests and limits set', (name) => {
    const deployment = find('Deployment', name);
    const service = find('Service', name);
    expect(deployment, `${name} Deployment`).toBeDefined();
    expect(service, `${name} Service`).toBeDefined();
    const pod = deployment!.spec.template.spec;
    const [container] = pod.containers;
    expect(container.env).toContainEqual({ name: 'SERVICE', value: name });
    // Named ports resolve through the container's port list: the probe must name the one the process listens on.
    const port = container.ports.find((p: { name: string }) => p.name === container.livenessProbe.httpGet.port);
    expect(port?.containerPort).toBe(portOf(name));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: port.name });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: port.name });
    expect(config[`${name.toUpperCase()}_PORT`]).toBe(String(portOf(name)));
    expect(service!.spec.ports[0]).toMatchObject({ port: portOf(name), targetPort: port.name });
    expect(service!.spec.selector).toEqual(deployment!.spec.template.metadata.labels);
    expect(deployment!.spec.selector.matchLabels).toEqual(deployment!.spec.template.metadata.labels);
    for (const kind of ['requests', 'limits']) {
      expect(container.resources[kind].cpu, `${name} ${kind}.cpu`).toBeTruthy();
      expect(container.resources[kind].memory, `${name} ${kind}.memory`).toBeTruthy();
    }
    // preStop, then SIGTERM, the drain delay and SHUTDOWN_GRACE_MS, all before SIGKILL.
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', String(PRE_STOP_SLEEP_SECONDS)]);
    expect(Number(config.SHUTDOWN_DRAIN_DELAY_MS)).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(PRE_STOP_SLEEP_SECONDS + (Number(config.SHUTDOWN_DRAIN_DELAY_MS) + Number(config.SHUTDOWN_GRACE_MS)) / 1000);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'voidtracker-config' } },
      { secretRef: { name: 'voidtracker-secrets' } },
      ...(name === 'iam' ? [{ secretRef: { name: 'voidtracker-signing-key' } }] : []),
    ]);
  });

  it('mounts the signing key in iam alone; every other process starts in production without it and verifies through iam', () => {
    const [shared, signing] = docsOf('secret.example.yaml') as unknown as Array<{ metadata: { name: string }; stringData: Record<string, string> }>;
    expect(shared!.metadata.name).toBe('voidtracker-secrets');
    expect(Object.keys(shared!.stringData)).not.toContain('JWT_PRIVATE_KEY');
    expect(signing).toMatchObject({ metadata: { name: 'voidtracker-signing-key' }, stringData: { JWT_PRIVATE_KEY: expect.any(String) } });
    const mounting = all
      .filter((d) => d.kind === 'Deployment')
      .filter((d) => JSON.stringify(d.spec.template.spec).includes('voidtracker-signing-key'))
      .map((d) => d.metadata.name);
    expect(mounting).toEqual(['iam']);
    expect(JSON.stringify(config)).not.toMatch(/JWT_PRIVATE_KEY/);
    const verifier = loadConfig({ ...config, ...shared!.stringData });
    expect(verifier.env).toBe('production');
    expect(verifier.jwt.jwksUrl).toBe('http://iam:4001/.well-known/jwks.json');
  });

  it('runs two gateways with a PodDisruptionBudget that keeps one and selects exactly the gateway pods', () => {
    const gateway = find('Deployment', 'gateway')!;
    const budget = find('PodDisruptionBudget', 'gateway')!;
    expect(gateway.spec.replicas).toBe(2);
    expect(budget.spec.minAvailable).toBe(1);
    expect(budget.spec.selector.matchLabels).toEqual(gateway.spec.template.metadata.labels);
    for (const other of all.filter((d) => d.kind === 'Deployment' && d.metadata.name !== 'gateway')) {
      const labels = other.spec.template.metadata.labels as Record<string, string>;
      const selected = Object.entries(budget.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v);
      expect(selected, `PDB must not select ${other.metadata.name}`).toBe(false);
    }
  });

  it('points every process at the subgraphs, Kafka and PostgreSQL by the Service names it defines', () => {
    for (const name of deployedServices().filter((s) => s !== 'gateway')) {
      expect(config[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${portOf(name)}/graphql`);
    }
    expect(config.KAFKA_BROKERS).toBe('kafka:9092');
    // A misspelt key would be ignored by the processes without a word.
    const secrets = docsOf('secret.example.yaml') as unknown as Array<{ stringData: Record<string, string> }>;
    for (const key of [...Object.keys(config), ...secrets.flatMap((s) => Object.keys(s.stringData))]) expect(ALL_CONFIG_KEYS, key).toContain(key);
    expect(find('Service', 'kafka')?.spec.type).toBe('ExternalName');
    expect(find('Service', 'postgres')?.spec.type).toBe('ExternalName');
    expect(docsOf('secret.example.yaml')[0]!.spec).toBeUndefined();
    const kustomization = docsOf('kustomization.yaml')[0] as unknown as { resources: string[] };
    // The example secret stays out: applying it would overwrite the operator's real one.
    expect(kustomization.resources.sort()).toEqual(readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'secret.example.yaml').sort());
  });

  it('npm run k8s -- --check passes on the committed files, and fails on an edited, a missing or a left-over file', async () => {
    const io = quiet();
    expect(await main(['--check'], io), io.text()).toBe(0);

    const dir = await mkdtemp(join(tmpdir(), 'vt-k8s-'));
    scratch.push(dir);
    await cp(DIR, dir, { recursive: true });
    const gateway = join(dir, 'gateway.yaml');
    await writeFile(gateway, (await readFile(gateway, 'utf8')).replace('replicas: 2', 'replicas: 1'));
    const edited = quiet();
    expect(await main(['--check', '--dir', dir], edited)).toBe(1);
    expect(edited.text()).toMatch(/gateway\.yaml\s+different/);

    await rm(join(dir, 'iam.yaml'));
    await writeFile(join(dir, 'retired.yaml'), 'kind: Deployment\n');
    const drift = quiet();
    expect(await main(['--check', '--dir', dir], drift)).toBe(1);
    expect(drift.text()).toMatch(/iam\.yaml\s+missing/);
    expect(drift.text()).toMatch(/retired\.yaml\s+extra/);

    expect(await main(['--dir', dir], quiet())).toBe(0);
    expect(existsSync(join(dir, 'retired.yaml'))).toBe(false);
    expect(await main(['--check', '--dir', dir], quiet())).toBe(0);
  });

  it.skipIf(!kubectl)('builds with kubectl kustomize into the namespace', () => {
    const built = execFileSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' });
    const docs = parseAllDocuments(built).map((d) => d.toJS() as Doc & { metadata: { namespace?: string } });
    expect(docs.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name).sort()).toEqual([...deployedServices()].sort());
    for (const d of docs.filter((d) => d.kind !== 'Namespace')) expect(d.metadata.namespace, `${d.kind}/${d.metadata.name}`).toBe('voidtracker');
  });
});
