import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration: webhooks', () => {
  it('given nothing set, retries on the Standard Webhooks schedule, shares slots per tenant and blocks private targets', () => {
    const c = loadConfig({});
    expect(c.webhooks).toEqual({
      timeoutMs: 10_000,
      retryScheduleMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      jitter: 0.2,
      concurrency: 16,
      endpointConcurrency: 2,
      tenantConcurrency: 4,
      pollMs: 1_000,
      blockPrivateNetworks: true,
      retentionDays: 30,
    });
    expect(c.ports.webhooks).toBe(4007);
    expect(c.urls.webhooks).toBe('http://127.0.0.1:4007/graphql');
  });

  it('blocks private networks in every mode (docker compose runs development) unless explicitly opted out', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      expect(loadConfig({ NODE_ENV }).webhooks.blockPrivateNetworks, NODE_ENV).toBe(true);
      expect(loadConfig({ NODE_ENV, WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'false' }).webhooks.blockPrivateNetworks, NODE_ENV).toBe(false);
    }
    expect(loadConfig({ WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'true' }).webhooks.blockPrivateNetworks).toBe(true);
  });

  it('reads a schedule in ms, s, m and h, and stops on a malformed one naming the variable', () => {
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '150ms, 2s,1m,1h' }).webhooks.retryScheduleMs).toEqual([150, 2_000, 60_000, 3_600_000]);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(/WEBHOOK_RETRY_SCHEDULE: "soon"/);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '10' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
  });
});

describe('configuration: signing keys', () => {
  it('does not ask a production process for the private key (only iam signs; it checks for itself)', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).jwt.privateKeyPem).toBeUndefined();
  });

  it('verifies through iam: JWKS_URL, else the JWKS beside IAM_URL, else the local iam port', () => {
    expect(loadConfig({}).jwt.jwksUrl).toBe('http://127.0.0.1:4001/.well-known/jwks.json');
    expect(loadConfig({ IAM_URL: 'http://iam:4001/graphql' }).jwt.jwksUrl).toBe('http://iam:4001/.well-known/jwks.json');
    expect(loadConfig({ IAM_URL: 'http://iam:4001/graphql', JWKS_URL: 'https://keys.example/jwks.json' }).jwt.jwksUrl).toBe('https://keys.example/jwks.json');
  });
});

describe('configuration: optimizer pool', () => {
  it('bounds threads and the queue, and reads overrides', () => {
    const d = loadConfig({}).optimizer;
    expect(d.workers).toBeGreaterThanOrEqual(1);
    expect(d.workers).toBeLessThanOrEqual(4);
    expect(d).toMatchObject({ queueLimit: 4, queueTimeoutMs: 5_000 });
    expect(loadConfig({ OPTIMIZER_WORKERS: '2', OPTIMIZER_QUEUE_LIMIT: '0', OPTIMIZER_QUEUE_TIMEOUT_MS: '100' }).optimizer).toEqual({ workers: 2, queueLimit: 0, queueTimeoutMs: 100 });
    expect(() => loadConfig({ OPTIMIZER_WORKERS: '0' })).toThrow(/OPTIMIZER_WORKERS/);
  });
});

describe('configuration: write admission', () => {
  it('bounds write transactions per subgraph with a short queue by default, and reads overrides', () => {
    expect(loadConfig({}).writes).toEqual({ concurrency: 6, queueLimit: 64, queueTimeoutMs: 3_000, requestBudgetMs: 5_000, retryAfterSeconds: 1 });
    expect(loadConfig({ DB_WRITE_CONCURRENCY: '2', DB_WRITE_QUEUE_LIMIT: '0', DB_WRITE_QUEUE_TIMEOUT_MS: '50', DB_WRITE_REQUEST_BUDGET_MS: '800', DB_OVERLOAD_RETRY_AFTER_SECONDS: '5' }).writes).toEqual({
      concurrency: 2,
      queueLimit: 0,
      queueTimeoutMs: 50,
      requestBudgetMs: 800,
      retryAfterSeconds: 5,
    });
    expect(() => loadConfig({ DB_WRITE_CONCURRENCY: '0' })).toThrow(/DB_WRITE_CONCURRENCY/);
  });
});

describe('configuration: shutdown', () => {
  it('drains without delay by default and names SHUTDOWN_DRAIN_DELAY_MS when it is not a duration in ms', () => {
    expect(loadConfig({}).shutdownDrainDelayMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '5000' }).shutdownDrainDelayMs).toBe(5_000);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '5s' })).toThrow(ConfigError);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '-1' })).toThrow(/SHUTDOWN_DRAIN_DELAY_MS/);
  });
});

describe('configuration: the edge with no account', () => {
  const prod = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'pem' };

  it('given nothing set, trusts no proxy, limits logins, and keeps /metrics and _service open only outside production', () => {
    const c = loadConfig({});
    expect(c.gateway.trustedProxies).toBe(0);
    expect(c.gateway.login).toEqual({ account: { burst: 10, perSecond: 2 / 60 }, address: { burst: 30, perSecond: 10 / 60 }, freeFailures: 3, maxBackoffSeconds: 900 });
    expect(c.gateway.live).toEqual({ wsMaxPayloadBytes: 65_536, perConnection: 20, perUser: 50 });
    expect(c.exposure).toEqual({ metricsPublic: true, metricsBearerToken: undefined, serviceSdl: true });
    expect(loadConfig(prod).exposure).toEqual({ metricsPublic: false, metricsBearerToken: undefined, serviceSdl: false });
    expect(loadConfig({ ...prod, METRICS_PUBLIC: 'true', SUBGRAPH_SERVICE_SDL: 'true' }).exposure).toMatchObject({ metricsPublic: true, serviceSdl: true });
  });

  it('turns the login limiter off with the rate limit, or on its own', () => {
    expect(loadConfig({ GATEWAY_RATE_LIMIT_PER_SECOND: '0' }).gateway.login).toBeUndefined();
    expect(loadConfig({ GATEWAY_LOGIN_LIMIT: 'false' }).gateway.login).toBeUndefined();
  });

  it('refuses the old GATEWAY_TRUST_PROXY, which trusted the leftmost hop, naming its replacement', () => {
    expect(() => loadConfig({ GATEWAY_TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEWAY_TRUST_PROXY: 'true' })).toThrow(/GATEWAY_TRUSTED_PROXIES/);
  });
});
