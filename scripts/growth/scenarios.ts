import pg from 'pg';
import { DEMO } from '../../subgraphs/iam/seed.ts';
import { dayStart } from './day.ts';
import type { ScaleOptions } from './tenants.ts';

/** Ids the reads ask about, picked in the seeded databases (the large tenant's). */
export interface Picks {
  /** Orders spread over the year, one per request in turn. */
  orderIds: string[];
  /** An order of the tenant's biggest customer: its customer's orders are read through it. */
  bigCustomerOrderId: string;
  /** `after` for page 200 of DELIVERED orders (or the deepest page a small run has). */
  deepCursor: string;
  /** Which page that is. */
  deepPage: number;
  year: { from: string; to: string };
}

export interface Scenario {
  name: string;
  body(picks: Picks, n: number): string;
  /** Only at one client: a read this heavy is not what many clients do at once. */
  alone?: boolean;
  /** What is wrong with the first answer's data, if anything: a fast empty answer proves nothing. */
  expect?(data: any): string | undefined;
}

const edges = (n: number, at: (data: any) => unknown[] | undefined) => (data: any) => {
  const found = at(data)?.length ?? 0;
  return found === n ? undefined : `expected ${n} edges, got ${found}`;
};

const PAGE = 50;
const json = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const kpis = (groupBy: string) =>
  `query($r: KpiRangeInput!) { kpis(range: $r, groupBy: ${groupBy}) { periods { start ordersCreated ordersDelivered ordersFailed ordersCancelled onTime { rate } revenue { currency invoiced paid } } } }`;

/** The reads issue 22 lists, as a client sends them to the gateway. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'order by id (with customer)',
    body: (p, n) => json('query($id: ID!) { order(id: $id) { id status reference customer { name } } }', { id: p.orderIds[n % p.orderIds.length] }),
  },
  {
    name: 'board: 50 orders, customer, quote, eta',
    body: () => json('{ orders(first: 50) { edges { node { id reference status weightKg customer { email } quote { total currency } eta } } pageInfo { endCursor } } }'),
    expect: edges(50, (d) => d.orders?.edges),
  },
  {
    name: "an order's history",
    body: (p, n) => json('query($id: ID!) { order(id: $id) { history { from to at reason } } }', { id: p.orderIds[n % p.orderIds.length] }),
    expect: (d) => (d.order?.history?.length >= 4 ? undefined : `a delivered order with ${d.order?.history?.length} status changes`),
  },
  {
    name: 'orders(status: DELIVERED) page 1',
    body: () => json(`{ orders(status: DELIVERED, first: ${PAGE}) { edges { node { id reference createdAt } } pageInfo { endCursor hasNextPage } } }`),
    expect: edges(PAGE, (d) => d.orders?.edges),
  },
  {
    name: 'orders(status: DELIVERED) deep page by cursor',
    body: (p) => json(`query($after: String) { orders(status: DELIVERED, first: ${PAGE}, after: $after) { edges { node { id reference createdAt } } pageInfo { endCursor hasNextPage } } }`, { after: p.deepCursor }),
    expect: edges(PAGE, (d) => d.orders?.edges),
  },
  {
    name: "the biggest customer's orders, page 1",
    body: (p) => json(`query($id: ID!) { order(id: $id) { customer { orders(first: ${PAGE}) { edges { node { id status } } } } } }`, { id: p.bigCustomerOrderId }),
    expect: edges(PAGE, (d) => d.order?.customer?.orders?.edges),
  },
  {
    name: 'audit trail of one order',
    body: (p, n) => json('query($id: ID!) { order(id: $id) { auditTrail(first: 20) { edges { node { sequence eventType occurredAt } } } } }', { id: p.orderIds[n % p.orderIds.length] }),
    expect: (d) => (d.order?.auditTrail?.edges?.length >= 5 ? undefined : `a delivered order with ${d.order?.auditTrail?.edges?.length} audit entries`),
  },
  { name: 'KPIs over the year by day', body: (p) => json(kpis('DAY'), { r: p.year }) },
  { name: 'KPIs over the year by week', body: (p) => json(kpis('WEEK'), { r: p.year }) },
  { name: 'KPIs over the year by month', body: (p) => json(kpis('MONTH'), { r: p.year }) },
  {
    name: "verifyAuditChain: the large tenant's whole chain",
    body: () => json('{ verifyAuditChain { ok checkedCount headSequence } }'),
    expect: (d) => (d.verifyAuditChain?.ok === true && d.verifyAuditChain.checkedCount > 0 ? undefined : `the chain does not verify: ${JSON.stringify(d)}`),
    alone: true,
  },
];

/** Reads the ids the scenarios ask about from the orders database, and the cursor of the deep page. */
export async function pick(ordersUrl: string, options: ScaleOptions, cursorOf: (id: string) => string): Promise<Picks> {
  const client = new pg.Client({ connectionString: ordersUrl });
  await client.connect();
  try {
    const orgId = DEMO.organization.id;
    const sample = await client.query<{ id: string }>(`SELECT id FROM "Order" WHERE "orgId" = $1 AND status = 'DELIVERED' ORDER BY md5(id::text) LIMIT 200`, [orgId]);
    const customer = DEMO.users.find((u) => u.roles.includes('CUSTOMER' as never))!.id;
    const big = await client.query<{ id: string }>(`SELECT id FROM "Order" WHERE "orgId" = $1 AND "customerId" = $2 LIMIT 1`, [orgId, customer]);
    const delivered = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Order" WHERE "orgId" = $1 AND status = 'DELIVERED'`, [orgId])).rows[0]!.n);
    // Page 200 needs 199 pages before it; a small run gets its deepest full page instead.
    const deepPage = Math.max(1, Math.min(200, Math.floor(delivered / PAGE)));
    const before = await client.query<{ id: string }>(
      `SELECT id FROM "Order" WHERE "orgId" = $1 AND status = 'DELIVERED' ORDER BY id DESC OFFSET $2 LIMIT 1`,
      [orgId, (deepPage - 1) * PAGE - 1],
    );
    if (!sample.rows.length || !big.rows.length) throw new Error(`no seeded orders of ${DEMO.organization.name} in ${new URL(ordersUrl).pathname}`);
    const end = dayStart(options, options.days);
    return {
      orderIds: sample.rows.map((r) => r.id),
      bigCustomerOrderId: big.rows[0]!.id,
      deepCursor: deepPage > 1 ? cursorOf(before.rows[0]!.id) : '',
      deepPage,
      year: { from: new Date(end - 365 * 86_400_000).toISOString(), to: new Date(end).toISOString() },
    };
  } finally {
    await client.end();
  }
}
