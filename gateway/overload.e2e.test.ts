import { exportPKCS8, generateKeyPair } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseFor } from '../subgraphs/platform/config.ts';
import { OrderCreated } from '../subgraphs/orders/events/contracts.ts';
import { availableBackends, orderInput, startTestGraph, type Backend, type TestGraph } from './testing/harness.ts';

vi.setConfig({ testTimeout: 120_000 });

const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id reference } }';
/**
 * PostgreSQL only: there a subgraph's connection pool is what a burst exhausts. PGlite is one
 * connection, so an embedded graph's writes already queue on it one at a time and a burst does not
 * reach the admission limit; the limit itself is covered for both by subgraphs/platform/db/admission.test.ts.
 */
const BACKENDS: Backend[] = (await availableBackends()).filter((b) => b === 'postgres');

interface Answer {
  status: number;
  retryAfter: string | null;
  reference: string;
  body: { data?: { createOrder: { id: string } | null } | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/**
 * One write slot and no queue per subgraph, in production (so the gateway's masking applies), and
 * bursts of concurrent createOrder through the gateway: more writes than the slot, at once.
 */
describe.each(BACKENDS)('under overload a write is served or refused as SERVICE_OVERLOADED, never an internal error, on %s', (backend) => {
  let g: TestGraph;
  let token: string;
  const prefix = `OVL-${Date.now().toString(36)}`;

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    g = await startTestGraph(backend, {
      NODE_ENV: 'production',
      JWT_PRIVATE_KEY: await exportPKCS8(privateKey),
      DB_WRITE_CONCURRENCY: '1',
      DB_WRITE_QUEUE_LIMIT: '0',
      DB_OVERLOAD_RETRY_AFTER_SECONDS: '2',
    });
    token = await g.login('dispatcher@demo.test');
  });
  afterAll(() => g?.close());

  const create = async (reference: string): Promise<Answer> => {
    const res = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE_ORDER, variables: { input: orderInput({ reference }) } }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), reference, body: (await res.json()) as Answer['body'] };
  };

  it('given bursts of concurrent orders beyond one write slot, then each is created or refused with a retriable 503, and refused ones leave no order and no event', async () => {
    const answers: Answer[] = [];
    // Until the slot was seen full at least once; each burst sends 24 orders at the same moment.
    for (let round = 0; round < 10 && !answers.some((a) => a.status === 503); round++) {
      answers.push(...(await Promise.all(Array.from({ length: 24 }, (_, i) => create(`${prefix}-${round}-${i}`)))));
    }
    const served = answers.filter((a) => a.body.data?.createOrder?.id);
    const refused = answers.filter((a) => !a.body.data?.createOrder);
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of served) {
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
    }
    for (const a of refused) {
      expect(a.body.errors?.length).toBeGreaterThan(0);
      for (const error of a.body.errors!) {
        expect(error.extensions).toMatchObject({ code: 'SERVICE_OVERLOADED', retryable: true, retryAfter: 2 });
      }
      expect(a.status).toBe(503);
      expect(a.retryAfter).toBe('2');
    }
    expect(JSON.stringify(answers)).not.toContain('INTERNAL_SERVER_ERROR');

    // The served orders are there, the refused ones are not: through the gateway as a client sees them…
    const mine = new Set<string>();
    for (let after: string | null = null; ; ) {
      const page: { data: { orders: { edges: Array<{ node: { reference: string | null } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null | undefined } =
        await g.gql('query($after: String) { orders(first: 100, after: $after) { edges { node { reference } } pageInfo { hasNextPage endCursor } } }', { after }, token);
      for (const e of page.data!.orders.edges) if (e.node.reference?.startsWith(prefix)) mine.add(e.node.reference);
      if (!page.data!.orders.pageInfo.hasNextPage) break;
      after = page.data!.orders.pageInfo.endCursor;
    }
    expect(mine).toEqual(new Set(served.map((a) => a.reference)));

    // …and in the orders database itself: one OrderCreated in the outbox per served order, none for a refused one.
    if (backend !== 'postgres') return;
    const client = new pg.Client({ connectionString: databaseFor(g.config, 'orders').location });
    await client.connect();
    try {
      const orders = (await client.query<{ reference: string }>('SELECT reference FROM "Order" WHERE reference LIKE $1', [`${prefix}-%`])).rows;
      expect(new Set(orders.map((r) => r.reference))).toEqual(new Set(served.map((a) => a.reference)));
      expect(orders).toHaveLength(served.length);
      const events = (
        await client.query<{ reference: string }>(
          `SELECT envelope->'data'->>'reference' AS reference FROM "OutboxEvent" WHERE type = $1 AND envelope->'data'->>'reference' LIKE $2`,
          [OrderCreated.type, `${prefix}-%`],
        )
      ).rows;
      expect(events.map((r) => r.reference).sort()).toEqual(served.map((a) => a.reference).sort());
    } finally {
      await client.end();
    }
  });

  it('given a subgraph asked directly, then its refusal carries the same code and retry hint', async () => {
    const orders = g.graph.subgraphs.find((s) => s.name === 'orders')!.url;
    const refused: Answer['body'][] = [];
    for (let round = 0; round < 10 && !refused.length; round++) {
      const answers = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const res = await fetch(orders, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: CREATE_ORDER, variables: { input: orderInput({ reference: `${prefix}-direct-${round}-${i}` }) } }),
          });
          return (await res.json()) as Answer['body'];
        }),
      );
      refused.push(...answers.filter((a) => !a.data?.createOrder));
    }
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_OVERLOADED']);
      expect(a.errors?.[0]?.extensions).toMatchObject({ retryable: true, retryAfter: 2 });
    }
  });
});
