import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DOMAINS, loadConfig } from '../subgraphs/platform/config.ts';
import { composeWith, DOT_ENV } from './testing/compose-file.ts';

// No Docker engine runs here: the monitoring set-up is checked against the code instead.
const dashboard = JSON.parse(await readFile('ops/grafana/dashboards/voidtracker.json', 'utf8')) as {
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
};
const compose = composeWith<{ services: Record<string, { build?: unknown; environment?: Record<string, string>; volumes?: string[] }> }>(DOT_ENV);
const prometheus = YAML.parse(await readFile('ops/prometheus/prometheus.yml', 'utf8')) as {
  scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
};

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'generated' && entry.name !== 'node_modules') out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('the monitoring set-up in ops/', () => {
  it('charts only metrics the code exports', async () => {
    const code = (await Promise.all([...(await sources('gateway')), ...(await sources('subgraphs'))].map((p) => readFile(p, 'utf8')))).join('\n');
    const names = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        for (const m of target.expr.matchAll(/\b((?:graphql|voidtracker)_[a-z_]+)/g)) names.add(m[1]!.replace(/_(bucket|count|sum)$/, ''));
      }
    }
    expect(names.size).toBeGreaterThan(8);
    for (const name of names) expect(code, name).toContain(`'${name}'`);
  });

  it('covers requests, errors by subgraph, pricing, invoices and consumer lag', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr).join('\n');
    for (const metric of ['graphql_request_duration_seconds', 'graphql_subgraph_errors_total', 'voidtracker_billing_pricing_total', 'voidtracker_billing_pricing_duration_seconds', 'voidtracker_billing_invoices_generated_total', 'voidtracker_consumer_lag']) {
      expect(exprs, metric).toContain(metric);
    }
  });

  it('runs Prometheus, Grafana, the collector and Jaeger in docker compose, on the files in ops/', async () => {
    for (const service of ['prometheus', 'grafana', 'otel-collector', 'jaeger']) expect(compose.services[service], service).toBeDefined();
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? []).map((v) => v.split(':')[0]!);
    for (const path of ['./ops/prometheus/prometheus.yml', './ops/grafana/provisioning', './ops/grafana/dashboards', './ops/otel-collector/config.yaml']) {
      expect(mounts).toContain(path);
      await expect(readdir(path).catch(() => readFile(path))).resolves.toBeTruthy();
    }
    const collector = YAML.parse(await readFile('ops/otel-collector/config.yaml', 'utf8')) as { service: { pipelines: { traces: { exporters: string[] } } } };
    expect(collector.service.pipelines.traces.exporters).toEqual(['otlp/jaeger']);
  });

  it('sends every service’s traces to the collector', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      expect(loadConfig(service.environment ?? {}).telemetry.otlpEndpoint, name).toBe('http://otel-collector:4318');
    }
  });

  it('scrapes the gateway and every domain on the port it listens on', () => {
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const config = loadConfig({});
    expect(targets).toContain(`gateway:${config.gateway.port}`);
    for (const domain of DOMAINS) expect(targets).toContain(`${domain}:${config.ports[domain]}`);
  });
});
