import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestGraph, type TestGraph } from '../gateway/testing/harness.ts';
import { DEMO } from '../subgraphs/iam/seed.ts';
import type { Io } from './lib/cli.ts';
import { main } from './seed-scale.ts';

const postgres = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const prefix = `growth_seed_${randomBytes(3).toString('hex')}`;
const env = { POSTGRES_URL: postgres, DATABASE_PREFIX: prefix, LOG_LEVEL: 'warn' };
const ARGS = ['--orders', '400', '--tenants', '4', '--days', '6', '--start', '2030-01-01'];

function capture(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), colour: false };
}

async function sql<T extends pg.QueryResultRow>(domain: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: new URL(`/${prefix}_${domain}`, postgres).toString() });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe.runIf((await availableBackends()).includes('postgres'))('npm run seed:scale, then the graph on its data', () => {
  let graph: TestGraph | undefined;
  let token: string;
  let demoOrders: number;

  beforeAll(async () => {
    const io = capture();
    expect(await main(ARGS, env, io), io.lines.join('\n')).toBe(0);
    demoOrders = Number((await sql<{ n: string }>('orders', `SELECT count(*) AS n FROM "Order" WHERE "orgId" = $1`, [DEMO.organization.id]))[0]!.n);
    graph = await startTestGraph('postgres', { DATABASE_PREFIX: prefix });
    token = await graph.login('admin@demo.test');
  }, 300_000);

  afterAll(async () => {
    // The graph's close drops the databases it ran on: the seeded ones.
    await graph?.close();
  });

  it('given the same options again, then it resumes to nothing to do and writes no row twice', async () => {
    const before = await sql<{ n: string }>('orders', `SELECT count(*) AS n FROM "Order"`);
    const io = capture();
    expect(await main(ARGS, env, io)).toBe(0);
    expect(io.lines.join('\n')).toMatch(/already complete/);
    expect(await sql<{ n: string }>('orders', `SELECT count(*) AS n FROM "Order"`)).toEqual(before);
    expect(Number(before[0]!.n)).toBe(400);
  });

  it('given other options on the same databases, then it refuses with what they were seeded with', async () => {
    const io = capture();
    expect(await main(['--orders', '500', '--tenants', '4', '--days', '6'], env, io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(/seeded with --orders 400/);
  });

  it('given the large tenant, then it holds a tenth of the orders, and every one reads through the gateway with its history, quote and customer', async () => {
    expect(demoOrders).toBe(40);
    const res = await graph!.gql<{ orders: { edges: Array<{ node: { id: string; status: string; history: Array<{ to: string }>; quote: { total: string } | null; customer: { email: string } | null } }> } }>(
      '{ orders(first: 100) { edges { node { id status history { to } quote { total } customer { email } } } } }',
      {},
      token,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.orders.edges.map((e) => e.node);
    expect(nodes).toHaveLength(demoOrders);
    for (const order of nodes) {
      expect(order.history[0]!.to).toBe('CREATED');
      expect(order.history.at(-1)!.to).toBe(order.status);
      expect(order.quote?.total).toMatch(/^\d+\.\d{2}$/);
      expect(order.customer?.email).toMatch(/@/);
    }
    expect(new Set(nodes.map((n) => n.status))).toContain('DELIVERED');
  });

  it("given a delivered order, then its audit trail holds its creation, each status change, its route and its invoice", async () => {
    const [delivered] = await sql<{ id: string }>('orders', `SELECT id FROM "Order" WHERE "orgId" = $1 AND status = 'DELIVERED' AND "createdAt" < '2030-01-03' LIMIT 1`, [DEMO.organization.id]);
    const res = await graph!.gql<{ order: { auditTrail: { edges: Array<{ node: { eventType: string } }> } } }>(
      'query($id: ID!) { order(id: $id) { auditTrail(first: 50) { edges { node { eventType } } } } }',
      { id: delivered!.id },
      token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.order.auditTrail.edges.map((e) => e.node.eventType).sort()).toEqual([
      'voidtracker.billing.invoice.issued.v1',
      'voidtracker.orders.order.created.v1',
      'voidtracker.orders.order.status_changed.v1',
      'voidtracker.orders.order.status_changed.v1',
      'voidtracker.orders.order.status_changed.v1',
      'voidtracker.planning.route.planned.v1',
    ]);
  });

  it("given the tenant's hash chain, then it verifies from its first entry to its head", async () => {
    const entries = Number((await sql<{ n: string }>('audit', `SELECT count(*) AS n FROM "AuditEntry" WHERE "orgId" = $1`, [DEMO.organization.id]))[0]!.n);
    const res = await graph!.gql<{ verifyAuditChain: { ok: boolean; checkedCount: number; headSequence: number } }>(
      '{ verifyAuditChain { ok checkedCount headSequence } }',
      {},
      token,
    );
    expect(res.errors).toBeUndefined();
    // The graph may have appended its own start's events (iam's seed) after the seeded entries.
    const { ok, checkedCount, headSequence } = res.data!.verifyAuditChain;
    expect({ ok, checkedCount }).toEqual({ ok: true, checkedCount: headSequence });
    expect(headSequence).toBeGreaterThanOrEqual(entries);
    expect(entries).toBeGreaterThan(demoOrders * 2);
    // A time range maps onto sequences by recording time, so it must follow the chain's order.
    // Only the seeded entries (2030): those the graph appends at its start are recorded today.
    const [{ n }] = (await sql<{ n: string }>(
      'audit',
      `SELECT count(*) AS n FROM (SELECT "recordedAt" < lag("recordedAt") OVER (PARTITION BY "orgId" ORDER BY sequence) AS back
         FROM "AuditEntry" WHERE "recordedAt" >= '2030-01-01') s WHERE back`,
    )) as [{ n: string }];
    expect(Number(n)).toBe(0);
  });

  it('given the KPIs over the seeded days, then they count the orders the orders domain holds', async () => {
    const res = await graph!.gql<{ kpis: { totals: { ordersCreated: number; ordersCancelled: number } } }>(
      'query($r: KpiRangeInput!) { kpis(range: $r, groupBy: DAY) { totals { ordersCreated ordersCancelled } } }',
      { r: { from: '2030-01-01T00:00:00Z', to: '2030-01-08T00:00:00Z' } },
      token,
    );
    expect(res.errors).toBeUndefined();
    const cancelled = Number((await sql<{ n: string }>('orders', `SELECT count(*) AS n FROM "Order" WHERE "orgId" = $1 AND status = 'CANCELLED'`, [DEMO.organization.id]))[0]!.n);
    expect(res.data!.kpis.totals).toEqual({ ordersCreated: demoOrders, ordersCancelled: cancelled });
  });
});
