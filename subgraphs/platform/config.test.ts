import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, configSlice, loadConfig, parseSlice } from './config.ts';

describe("configuration: a domain's slice", () => {
  const slice = configSlice(z.object({ THING_LIMIT: z.coerce.number().int().min(1).default(3).describe('a limit') }), (e) => ({ limit: e.THING_LIMIT }));

  it('gives typed settings from the variables, defaults where unset', () => {
    expect(parseSlice(slice, {})).toEqual({ limit: 3 });
    expect(parseSlice(slice, { THING_LIMIT: '7' })).toEqual({ limit: 7 });
  });

  it('stops on a bad value naming the variable, as the platform\'s own do', () => {
    expect(() => parseSlice(slice, { THING_LIMIT: '0' })).toThrow(ConfigError);
    expect(() => parseSlice(slice, { THING_LIMIT: '0' })).toThrow(/^Invalid configuration:\n  THING_LIMIT: /);
  });

  it('is parsed from the environment a Config was loaded from', () => {
    expect(parseSlice(slice, loadConfig({ THING_LIMIT: '5' }).environment)).toEqual({ limit: 5 });
  });
});


describe('configuration: signing keys', () => {
  it('does not ask a production process for the private key (only iam signs; it checks for itself)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).not.toThrow();
    expect(loadConfig({ NODE_ENV: 'production' }).jwt).not.toHaveProperty('privateKeyPem');
  });

  it('verifies through iam: JWKS_URL, else the JWKS beside IAM_URL, else the local iam port', () => {
    expect(loadConfig({}).jwt.jwksUrl).toBe('http://127.0.0.1:4001/.well-known/jwks.json');
    expect(loadConfig({ IAM_URL: 'http://iam:4001/graphql' }).jwt.jwksUrl).toBe('http://iam:4001/.well-known/jwks.json');
    expect(loadConfig({ IAM_URL: 'http://iam:4001/graphql', JWKS_URL: 'https://keys.example/jwks.json' }).jwt.jwksUrl).toBe('https://keys.example/jwks.json');
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
