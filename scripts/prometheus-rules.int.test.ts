/**
 * The alert rules in ops/prometheus: promtool validates the config and the rules and runs their
 * unit tests (alerts.test.yml); without promtool that part skips locally and fails in CI. The rest
 * needs no promtool: every metric, error code and job a rule reads must be one the code exports or
 * Prometheus scrapes, so renaming a metric cannot silently blind an alert.
 */
import { execFile } from 'node:child_process';
import { access, constants, copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const DIR = 'ops/prometheus';
const run = promisify(execFile);

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }>;
}

const rules = (YAML.parse(await readFile(join(DIR, 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const unitTests = (YAML.parse(await readFile(join(DIR, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] }).tests;
const scrape = YAML.parse(await readFile(join(DIR, 'prometheus.yml'), 'utf8')) as { rule_files?: string[]; scrape_configs: Array<{ job_name: string }> };

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

/** The series names a PromQL expression selects: identifiers that are not functions, keywords or label names. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const before = bare[m.index - 1] ?? ' ';
    if (/[\w.]/.test(before)) continue; // the exponent of a number such as 1e3
    if (/^\s*\(/.test(bare.slice(m.index + m[0].length))) continue; // a function
    if (!PROMQL_WORDS.has(m[0])) names.add(m[0]);
  }
  return [...names];
}

/** Values a label matcher of `expr` names, e.g. label "code" in code=~"A|B" gives A and B. */
function matcherValues(expr: string, label: string): string[] {
  return [...expr.matchAll(new RegExp(`\\b${label}\\s*=~?\\s*"([^"]*)"`, 'g'))].flatMap((m) => m[1]!.split('|'));
}

/** Every TypeScript source file that is not a test or generated code. */
async function sources(): Promise<string> {
  const texts: string[] = [];
  for (const root of ['gateway', 'subgraphs']) {
    for (const entry of await readdir(root, { recursive: true })) {
      const path = join(root, entry);
      if (!path.endsWith('.ts') || path.endsWith('.test.ts') || path.includes('/generated/')) continue;
      texts.push(await readFile(path, 'utf8'));
    }
  }
  return texts.join('\n');
}

async function findPromtool(env = process.env): Promise<string | undefined> {
  const candidates = env.PROMTOOL ? [env.PROMTOOL] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'promtool'));
  for (const path of candidates) {
    if (await access(path, constants.X_OK).then(() => true, () => false)) return path;
  }
  return undefined;
}

describe('alert rules against the code', () => {
  it('reads every metric from the code’s exports (histograms by their _bucket/_count/_sum series), and `up` only for scraped jobs', async () => {
    const code = await sources();
    const exported = (name: string) => new RegExp(`['"\`]${name}['"\`]`).test(code);
    const jobs = scrape.scrape_configs.map((c) => c.job_name);
    const used = new Set(rules.flatMap((r) => metricNames(r.expr)));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) {
      if (name === 'up') continue; // Prometheus writes it per scrape target; checked by job below.
      const base = name.replace(/_(bucket|count|sum)$/, '');
      expect(exported(name) || (base !== name && exported(base)), `${name} is not exported by gateway/ or subgraphs/`).toBe(true);
    }
    for (const rule of rules.filter((r) => metricNames(r.expr).includes('up'))) {
      const wanted = matcherValues(rule.expr, 'job');
      expect(wanted.length, `${rule.alert} must name its job`).toBeGreaterThan(0);
      for (const job of wanted) expect(jobs, `${rule.alert}: job ${job}`).toContain(job);
    }
  });

  it('counts only error codes the code actually produces', async () => {
    const code = await sources();
    const codes = rules.flatMap((r) => matcherValues(r.expr, 'code'));
    expect(codes).toContain('INTERNAL_SERVER_ERROR');
    for (const c of codes) expect(code, c).toMatch(new RegExp(`['"]${c}['"]`));
  });

  it('finds the metric names in an expression, not its functions, keywords, labels or durations', () => {
    expect(
      metricNames('sum(rate(a_total{code=~"X|Y"}[5m])) / sum by (le) (rate(b_bucket[5m])) > 1e3 and on (job) c unless deriv(d[10m]) > 0.5'),
    ).toEqual(['a_total', 'b_bucket', 'c', 'd']);
  });

  it('gives every alert a severity, a summary and a runbook anchor that docs/observability.md has', async () => {
    const docs = await readFile('docs/observability.md', 'utf8');
    const headings = new Set([...docs.matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
    expect(rules.map((r) => r.alert).sort()).toEqual(
      ['ConsumerLagGrowing', 'ConsumerLagHigh', 'DeadLettersAppeared', 'GatewayDown', 'GatewayHighErrorRate', 'GatewayHighLatency', 'InvoiceNumberingFailures', 'OutboxBacklogStale', 'SubgraphDown'],
    );
    for (const rule of rules) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      const anchor = /^docs\/observability\.md#(.+)$/.exec(rule.annotations?.runbook ?? '')?.[1];
      expect(anchor, `${rule.alert} runbook`).toBe(rule.alert.toLowerCase());
      expect(headings.has(anchor!), `docs/observability.md has no heading for ${rule.alert}`).toBe(true);
    }
  });

  it('has a unit test in alerts.test.yml where each alert fires and one where it must not', () => {
    const cases = unitTests.flatMap((t) => t.alert_rule_test ?? []);
    for (const { alert } of rules) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(mine.some((c) => (c.exp_alerts ?? []).length > 0), `${alert} never expected to fire`).toBe(true);
      expect(mine.some((c) => (c.exp_alerts ?? []).length === 0), `${alert} never expected to stay quiet`).toBe(true);
    }
    expect(scrape.rule_files).toEqual(['alerts.yml']);
  });
});

const promtool = await findPromtool();
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
if (!promtool && !inCi) console.warn('promtool checks skipped: no promtool on PATH (Debian: apt-get install prometheus; or set PROMTOOL).');

describe.skipIf(!promtool && !inCi)('promtool', () => {
  const tool = async (args: string[], cwd = DIR) => {
    if (!promtool) throw new Error('CI needs promtool (Debian: apt-get install prometheus; or set PROMTOOL)');
    return run(promtool, args, { cwd, timeout: 60_000 }).then(
      ({ stdout, stderr }) => ({ ok: true, out: stdout + stderr }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, out: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
  };

  it('accepts prometheus.yml with its rule files', async () => {
    const result = await tool(['check', 'config', 'prometheus.yml']);
    expect(result.out).toMatch(/SUCCESS: 1 rule files found/);
    expect(result.ok, result.out).toBe(true);
  });

  it('accepts alerts.yml', async () => {
    const result = await tool(['check', 'rules', 'alerts.yml']);
    expect(result.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.ok, result.out).toBe(true);
  });

  it('passes the rules’ unit tests, and fails them when a threshold is loosened', async () => {
    const result = await tool(['test', 'rules', 'alerts.test.yml']);
    expect(result.ok, result.out).toBe(true);
    expect(result.out).toContain('SUCCESS');

    // The unit tests must catch a broken rule: the same tests on a gateway alert that waits 5 minutes.
    const scratch = await mkdtemp(join(tmpdir(), 'vt-alerts-'));
    try {
      await copyFile(join(DIR, 'alerts.test.yml'), join(scratch, 'alerts.test.yml'));
      const alerts = await readFile(join(DIR, 'alerts.yml'), 'utf8');
      const loosened = alerts.replace(/(alert: GatewayDown\n\s+expr: [^\n]+\n\s+for: )1m/, '$15m');
      expect(loosened).not.toBe(alerts);
      await writeFile(join(scratch, 'alerts.yml'), loosened);
      const broken = await tool(['test', 'rules', 'alerts.test.yml'], scratch);
      expect(broken.ok).toBe(false);
      expect(broken.out).toMatch(/GatewayDown/);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
