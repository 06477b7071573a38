import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../gateway/testing/harness.ts';
import { dropDatabase } from '../subgraphs/platform/db/database.ts';
import { brokerSource } from './kafka/harness.ts';
import { DOMAINS } from '../subgraphs/platform/config.ts';
import { runDemo } from './demo/steps.ts';
import { freePort } from './bench/processes.ts';

const postgres = (await availableBackends()).includes('postgres');
const kafka = await brokerSource();
// The stack starts its own broker; where none can be had (and this is not CI), it is skipped.
const runnable = postgres && (!kafka.missing || kafka.inCi);
if (postgres && !runnable) console.warn(`stack suite skipped: ${kafka.missing}`);

describe.runIf(runnable)('npm run stack: one process per subgraph on PostgreSQL and Kafka', () => {
  const prefix = `vt_stack_${process.pid}`;
  const pgUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let stack: ReturnType<typeof spawn>;
  let gatewayUrl: string;
  let output = '';

  beforeAll(async () => {
    const [gw, iam, orders, planning, billing] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    gatewayUrl = `http://127.0.0.1:${gw}/graphql`;
    stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        POSTGRES_URL: pgUrl,
        DATABASE_PREFIX: prefix,
        GATEWAY_PORT: String(gw),
        IAM_PORT: String(iam),
        ORDERS_PORT: String(orders),
        PLANNING_PORT: String(planning),
        BILLING_PORT: String(billing),
        AUDIT_PORT: String(await freePort()),
        ANALYTICS_PORT: String(await freePort()),
        WEBHOOKS_PORT: String(await freePort()),
        JWKS_URL: `http://127.0.0.1:${iam}/.well-known/jwks.json`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout!.on('data', (d) => (output += d));
    stack.stderr!.on('data', (d) => (output += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stack did not come up:\n${output}`)), 110_000);
      stack.stdout!.on('data', () => output.includes('stack is up') && (clearTimeout(timer), resolve()));
      stack.once('exit', (code) => reject(new Error(`stack exited ${code}:\n${output}`)));
    });
  });

  afterAll(async () => {
    if (stack && stack.exitCode === null) {
      const exited = new Promise((r) => stack.once('exit', r));
      stack.kill('SIGTERM');
      await exited;
    }
    for (const domain of DOMAINS) await dropDatabase(`${pgUrl.replace(/\/[^/]*$/, '')}/${prefix}_${domain}`);
  });

  it('serves the demo walkthrough across processes', async () => {
    const results = await runDemo(gatewayUrl);
    expect(results.every((r) => r.ok), JSON.stringify(results)).toBe(true);
  });

  it('stops every process on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => stack.once('exit', r));
    stack.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = await fetch(gatewayUrl).catch(() => 'down');
    expect(after).toBe('down');
  });
});
