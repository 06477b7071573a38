import { exportPKCS8, generateKeyPair } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_TENANT } from '../../subgraphs/iam/seed.ts';
import { databaseFor } from '../../subgraphs/platform/config.ts';
import { eventually } from '../../subgraphs/platform/events/testing/test-support.ts';
import { OrderCreated } from '../../subgraphs/orders/events/contracts.ts';
import { availableBackends, availableTransports, orderCreatedEvent, orderInput, startTestGraphOn, type Backend, type GqlResponse, type TestGraph, type TransportKind } from '../testing/harness.ts';

/** The embedded pair and the server pair: PGlite with the in-process bus, PostgreSQL with Kafka. */
const BACKENDS = await availableBackends();
const TRANSPORTS = await availableTransports('error masking');
const SETUPS: Array<[TransportKind, Backend]> = [['bus', 'pglite'], ...(TRANSPORTS.includes('kafka') && BACKENDS.includes('postgres') ? [['kafka', 'postgres'] as [TransportKind, Backend]] : [])];

const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const ORDERS = '{ orders(first: 1) { edges { node { id } } } }';
/** What must never reach a client in production. */
const INSIDES = /prisma|invocation|relation|does not exist|\.ts:|subgraphs\/|0x00|22021|42P01/i;

type Gql = GqlResponse & { extensions?: Record<string, unknown> };

describe.each(SETUPS)('errors in production tell the client what it can act on, and nothing else, on the %s transport with %s', (kind, backend) => {
  let g: TestGraph;
  let dispatcher: string;
  let globex: string;

  const post = async (url: string, query: string, variables: Record<string, unknown>, token: string): Promise<Gql> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as Gql;
  };
  const subgraphUrl = (name: string) => g.graph.subgraphs.find((s) => s.name === name)!.url;

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    g = await startTestGraphOn(kind, { NODE_ENV: 'production', JWT_PRIVATE_KEY: await exportPKCS8(privateKey) }, backend);
    [dispatcher, globex] = await Promise.all([g.login('dispatcher@demo.test'), g.login('dispatcher@globex.test')]);
  });
  afterAll(() => g?.close());

  it('given a NUL in an order reference, then the answer is BAD_USER_INPUT on that field, not the database\'s error, through the gateway and at the subgraph', async () => {
    for (const url of [g.url, subgraphUrl('orders')]) {
      const res = await post(url, CREATE_ORDER, { input: orderInput({ reference: 'REF\u0000X' }) }, dispatcher);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reference' });
      expect(JSON.stringify(res.errors)).not.toMatch(INSIDES);
    }
  });

  it('given a bad latitude, country and weight in one input, then one answer names every field at fault', async () => {
    const input = orderInput({
      pickup: { ...orderInput().pickup, lat: 123, country: 'Germany' },
      parcels: [{ weightKg: -1 }],
    });
    const res = await g.gql(CREATE_ORDER, { input }, dispatcher);
    expect(res.errors).toHaveLength(1);
    const extensions = res.errors![0]!.extensions!;
    expect(extensions.code).toBe('BAD_USER_INPUT');
    const fields = (extensions.fields as Array<{ field: string; message: string }>).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['input.pickup.lat', 'input.pickup.country', 'input.parcels.0.weightKg']));
    // Clients that read only `field` still get the first of them.
    expect(extensions.field).toBe(fields[0]);
  });

  it('given a subgraph that answers null for a non-null field (an order reference it cannot resolve), then data: null comes with an error that has a path and a stable code', async () => {
    // planning hears of an order the orders subgraph never had: its pool entry's `order: Order!` resolves to null.
    const ghost = crypto.randomUUID();
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: orderCreatedEvent(ghost, OTHER_TENANT.organization.id, OTHER_TENANT.users[1].id) }]);
    const POOL = '{ planningPool(first: 100) { edges { node { weightKg order { id status } } } } }';
    const res = (await eventually('planning to pool the ghost order', async () => {
      const r = (await post(g.url, POOL, {}, globex)) as Gql;
      return r.data === null || r.errors ? r : undefined;
    })) as Gql;
    expect(res.data).toBeNull();
    expect(res.extensions?.valueCompletion).toBeUndefined();
    expect(res.errors?.length).toBeGreaterThan(0);
    for (const error of res.errors!) {
      expect(error.extensions?.code).toBe('SUBGRAPH_INVALID_VALUE');
      expect(error.path?.[0]).toBe('planningPool');
    }
    expect(res.errors!.some((e) => e.path?.includes('order'))).toBe(true);
  });

  it.runIf(backend === 'postgres')('given a database failure, then the client sees a generic message with the request id, at the gateway and at the subgraph', async () => {
    const sql = new pg.Client({ connectionString: databaseFor(g.config, 'orders').location });
    await sql.connect();
    try {
      await sql.query('ALTER TABLE "Order" RENAME TO "OrderGone"');
      for (const url of [g.url, subgraphUrl('orders')]) {
        const res = await post(url, ORDERS, {}, dispatcher);
        expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
        const requestId = res.errors![0]!.extensions!.requestId as string;
        expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.errors![0]!.message).toBe(`Internal server error (request ${requestId}).`);
        expect(JSON.stringify(res)).not.toMatch(INSIDES);
      }
    } finally {
      await sql.query('ALTER TABLE "OrderGone" RENAME TO "Order"');
      await sql.end();
    }
  });
});
