import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../platform/config.ts';
import { settingsOf } from '../kernel/subgraph.ts';
import { ALL_CONFIG_KEYS, CONFIG_SCHEMAS, checkDomainSettings } from './config.ts';
import { SUBGRAPHS } from './subgraphs.ts';
import { PLUGINS } from '../../gateway/pipeline.ts';

describe("the system's configuration: the platform's variables and each domain's slice", () => {
  it('lists every variable once, the platform first, then the slices of the gateway plugins and of the domains that declare one', () => {
    expect(new Set(ALL_CONFIG_KEYS).size).toBe(ALL_CONFIG_KEYS.length);
    expect(ALL_CONFIG_KEYS.slice(0, CONFIG_KEYS.length)).toEqual([...CONFIG_KEYS]);
    expect(CONFIG_SCHEMAS.map((s) => s.readBy)).toEqual([
      'platform',
      ...PLUGINS.filter((p) => p.config).map(() => 'gateway'),
      ...SUBGRAPHS.filter((d) => d.config).map((d) => d.name),
    ]);
    // Domain-only settings live with their domain, not in the platform.
    for (const key of ['AUDIT_RETENTION_DAYS', 'ANALYTICS_MAX_RANGE_DAYS', 'WEBHOOK_TIMEOUT_MS', 'OPTIMIZER_WORKERS', 'INVITATION_TTL_SECONDS']) {
      expect(CONFIG_KEYS, key).not.toContain(key);
      expect(ALL_CONFIG_KEYS, key).toContain(key);
    }
  });

  it('parses every slice from the environment the Config was loaded from, and stops on a bad value naming it', () => {
    expect(() => checkDomainSettings(loadConfig({}))).not.toThrow();
    expect(() => checkDomainSettings(loadConfig({ WEBHOOK_TIMEOUT_MS: '10' }))).toThrow(ConfigError);
    expect(() => checkDomainSettings(loadConfig({ AUDIT_MAX_RANGE_DAYS: 'wide' }))).toThrow(/^Invalid configuration:\n  AUDIT_MAX_RANGE_DAYS: /);
  });

  it("hands each domain its own typed settings", () => {
    const config = loadConfig({ AUDIT_RETENTION_DAYS: '30', ANALYTICS_MAX_RANGE_DAYS: '31' });
    const byName = Object.fromEntries(SUBGRAPHS.map((d) => [d.name, settingsOf(d, config)]));
    expect(byName.audit).toMatchObject({ retentionDays: 30, maxRangeDays: 366 });
    expect(byName.analytics).toMatchObject({ maxRangeDays: 31 });
    expect(byName.orders).toBeUndefined();
  });
});
