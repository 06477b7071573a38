import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../subgraphs/platform/config.ts';
import { visibleLength } from './cli.ts';
import {
  checkNode,
  compareVersions,
  describeError,
  describePostgres,
  exitCode,
  formatResults,
  parseVersion,
  pendingDetail,
  planChecks,
  requiredTopics,
  runCheck,
  satisfiesRange,
  toJson,
  type CheckResult,
} from './verify.ts';

describe('Node version against engines', () => {
  it.each([
    ['20.19.0', '>=20.19', true],
    ['20.18.3', '>=20.19', false],
    ['22.1.0', '>=20.19', true],
    ['20.19.0', '>20.19', false],
    ['20.20.0', '>20.19', true],
    ['21.0.0', '<=20', false],
    ['20.99.1', '<=20', true],
    ['19.9.9', '<20', true],
    ['20.0.0', '<20', false],
    ['20.5.1', '^20.3', true],
    ['21.0.0', '^20.3', false],
    ['0.2.5', '^0.2.1', true],
    ['0.3.0', '^0.2.1', false],
    ['20.19.9', '~20.19.2', true],
    ['20.20.0', '~20.19.2', false],
    ['20.4.0', '20.x', true],
    ['21.0.0', '20', false],
    ['22.3.0', '*', true],
    ['18.20.0', '^18.18 || >=20.9', true],
    ['19.1.0', '^18.18 || >=20.9', false],
    ['20.12.0', '>=20.9 <22', true],
    ['22.0.0', '>=20.9 <22', false],
    ['v20.19.0', '=20.19.0', true],
  ])('%s against "%s" is %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected);
  });

  it('refuses a range it cannot read instead of passing it', () => {
    expect(() => satisfiesRange('20.19.0', '20.1 - 22')).toThrow(/unsupported engines range/);
    expect(checkNode('20.19.0', 'latest')).toMatchObject({ ok: false, detail: expect.stringContaining('unsupported engines range "latest"') });
  });

  it('reads versions with a v and compares them part by part', () => {
    expect(parseVersion('v20.19.2')).toEqual([20, 19, 2]);
    expect(compareVersions([20, 10, 0], [20, 9, 5])).toBeGreaterThan(0);
    expect(() => parseVersion('twenty')).toThrow(/not a version/);
  });

  it('names the version and the range in both outcomes, and skips without a range', () => {
    expect(checkNode('20.19.2', '>=20.19')).toEqual({ ok: true, detail: '20.19.2 satisfies >=20.19' });
    expect(checkNode('18.0.0', '>=20.19')).toEqual({ ok: false, detail: '18.0.0 does not satisfy >=20.19' });
    expect(checkNode('18.0.0', undefined)).toMatchObject({ ok: true, skipped: true });
  });
});

const results: CheckResult[] = [
  { name: 'node', ok: true, detail: '20.19.2 satisfies >=20.19', ms: 1 },
  { name: 'database:orders', ok: false, detail: '2 migrations pending: 20260101_a, 20260102_b', ms: 40 },
  { name: 'redis', ok: true, skipped: true, detail: 'REDIS_URL unset', ms: 0 },
];

describe('the report', () => {
  it('prints one row per check with its status, name, time and detail, and a summary naming the failures', () => {
    const lines = formatResults(results, false);
    expect(lines[0]).toMatch(/^status\s+check\s+time\s+detail$/);
    expect(lines[2]).toMatch(/^PASS\s+node\s+1 ms\s+20\.19\.2 satisfies >=20\.19$/);
    expect(lines[3]).toMatch(/^FAIL\s+database:orders\s+40 ms\s+2 migrations pending: 20260101_a, 20260102_b$/);
    expect(lines[4]).toMatch(/^SKIP\s+redis/);
    expect(lines.at(-1)).toBe('1 of 3 checks failed');
    expect(lines.join('\n')).not.toContain('\x1b[');
  });

  it('colours PASS green and FAIL red only when asked, keeping the columns aligned', () => {
    const lines = formatResults(results, true);
    expect(lines[2]).toContain('\x1b[32mPASS\x1b[0m');
    expect(lines[3]).toContain('\x1b[31mFAIL\x1b[0m');
    expect(lines.at(-1)).toBe('\x1b[31m1 of 3 checks failed\x1b[0m');
    const plain = formatResults(results, false);
    expect(lines.slice(0, 5).map(visibleLength)).toEqual(plain.slice(0, 5).map((l) => l.length));
  });

  it('says all passed, counting skipped checks apart', () => {
    expect(formatResults([results[0]!, results[2]!], false).at(-1)).toBe('all 1 checks passed (1 skipped: not configured)');
  });

  it('exits 1 when any check failed and 0 when none did (a skip is not a failure)', () => {
    expect(exitCode(results)).toBe(1);
    expect(exitCode([results[0]!, results[2]!])).toBe(0);
    expect(exitCode([])).toBe(0);
  });

  it('gives machines JSON with a status per check', () => {
    const parsed = JSON.parse(toJson(results));
    expect(parsed.ok).toBe(false);
    expect(parsed.checks.map((c: { status: string }) => c.status)).toEqual(['PASS', 'FAIL', 'SKIP']);
    expect(parsed.checks[1]).toEqual({ name: 'database:orders', status: 'FAIL', ok: false, detail: results[1]!.detail, ms: 40 });
  });

  it('words pending migrations with their names, and a complete database with its count', () => {
    expect(pendingDetail(['20260101_a'], 3)).toBe('1 migration pending: 20260101_a');
    expect(pendingDetail(['a', 'b'], 3)).toBe('2 migrations pending: a, b');
    expect(pendingDetail([], 3)).toBe('3 of 3 migrations applied');
  });

  it('never prints database credentials', () => {
    expect(describePostgres('postgres://app:s3cret@db.internal:6543/voidtracker_orders')).toBe('db.internal:6543/voidtracker_orders');
    expect(describePostgres('postgres://postgres@127.0.0.1/x')).toBe('127.0.0.1:5432/x');
  });

  it('reads the socket error out of wrapped and aggregate errors', () => {
    const refused = Object.assign(new Error(''), { code: 'ECONNREFUSED' });
    const aggregate = new AggregateError([new Error('connect ECONNREFUSED ::1:1')], '');
    expect(describeError(new Error('fetch failed', { cause: refused }))).toBe('fetch failed: ECONNREFUSED');
    expect(describeError(aggregate)).toBe('connect ECONNREFUSED ::1:1');
  });
});

describe('running a check', () => {
  it('fails a check that does not answer within its timeout, saying how long it waited', async () => {
    const result = await runCheck({ name: 'slow', group: 'redis', timeoutMs: 50, run: () => new Promise(() => {}) });
    expect(result).toMatchObject({ name: 'slow', ok: false, detail: 'no answer within 50 ms' });
  });

  it('turns a thrown error into a failure with its message', async () => {
    const result = await runCheck({ name: 'boom', group: 'redis', timeoutMs: 1000, run: async () => { throw new Error('disk on fire'); } });
    expect(result).toMatchObject({ ok: false, detail: 'disk on fire' });
  });
});

describe('the plan', () => {
  const config = loadConfig({ DATA_DIR: '/nonexistent', KAFKA_BROKERS: '127.0.0.1:1' });

  it('has node, one row per domain database, kafka, redis, jwks and supergraph, and --only narrows it', () => {
    const names = planChecks(config, { enginesNode: '>=20', jwksUrl: undefined, domains: ['iam', 'orders'] }).map((c) => c.name);
    expect(names).toEqual(['node', 'database:iam', 'database:orders', 'kafka', 'redis', 'jwks', 'supergraph']);
    const only = planChecks(config, { enginesNode: '>=20', jwksUrl: undefined, only: ['kafka', 'node'], domains: ['iam'] });
    expect(only.map((c) => c.name)).toEqual(['node', 'kafka']);
  });

  it('gives every check a timeout, which --timeout overrides', () => {
    const own = planChecks(config, { enginesNode: '>=20', jwksUrl: undefined });
    expect(own.every((c) => c.timeoutMs > 0)).toBe(true);
    expect(new Set(planChecks(config, { enginesNode: '>=20', jwksUrl: undefined, timeoutMs: 777 }).map((c) => c.timeoutMs))).toEqual(new Set([777]));
  });

  it('needs every domain topic and its dead-letter topic on Kafka', () => {
    const topics = requiredTopics();
    expect(topics).toContain('voidtracker.orders');
    expect(topics).toContain('voidtracker.orders.dlq');
    expect(topics).toHaveLength(14);
  });

  it('skips what is not configured rather than failing it', async () => {
    const bare = loadConfig({ DATA_DIR: 'memory://' });
    const checks = planChecks(bare, { enginesNode: '>=20', jwksUrl: undefined, only: ['database', 'kafka', 'redis', 'jwks'], domains: ['orders'] });
    const outcomes = await Promise.all(checks.map((c) => runCheck(c)));
    expect(outcomes.map((o) => [o.name, o.ok, o.skipped])).toEqual([
      ['database:orders', true, true],
      ['kafka', true, true],
      ['redis', true, true],
      ['jwks', true, true],
    ]);
  });
});
