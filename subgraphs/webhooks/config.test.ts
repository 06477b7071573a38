import { describe, expect, it } from 'vitest';
import { ConfigError, parseSlice, type Env } from '../platform/config.ts';
import { webhooksConfig } from './config.ts';

const settings = (env: Env) => parseSlice(webhooksConfig, env);

describe('configuration: webhooks', () => {
  it('given nothing set, retries on the Standard Webhooks schedule, shares slots per tenant and blocks private targets', () => {
    expect(settings({})).toEqual({
      timeoutMs: 10_000,
      retryScheduleMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      jitter: 0.2,
      concurrency: 16,
      endpointConcurrency: 2,
      tenantConcurrency: 4,
      pollMs: 30_000,
      blockPrivateNetworks: true,
      retentionDays: 30,
      pruneEveryMs: 3_600_000,
    });
  });

  it('blocks private networks in every mode (docker compose runs development) unless explicitly opted out', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      expect(settings({ NODE_ENV }).blockPrivateNetworks, NODE_ENV).toBe(true);
      expect(settings({ NODE_ENV, WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'false' }).blockPrivateNetworks, NODE_ENV).toBe(false);
    }
    expect(settings({ WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'true' }).blockPrivateNetworks).toBe(true);
  });

  it('reads a schedule in ms, s, m and h, and stops on a malformed one naming the variable', () => {
    expect(settings({ WEBHOOK_RETRY_SCHEDULE: '150ms, 2s,1m,1h' }).retryScheduleMs).toEqual([150, 2_000, 60_000, 3_600_000]);
    expect(() => settings({ WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(ConfigError);
    expect(() => settings({ WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(/WEBHOOK_RETRY_SCHEDULE: "soon"/);
    expect(() => settings({ WEBHOOK_RETRY_SCHEDULE: '' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => settings({ WEBHOOK_TIMEOUT_MS: '10' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
  });

  it('prunes finished deliveries as often as told, but not more than once a minute', () => {
    expect(settings({ WEBHOOK_PRUNE_EVERY_MS: '300000' }).pruneEveryMs).toBe(300_000);
    expect(() => settings({ WEBHOOK_PRUNE_EVERY_MS: '10' })).toThrow(/WEBHOOK_PRUNE_EVERY_MS/);
  });
});
