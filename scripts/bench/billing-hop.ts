import pg from 'pg';
import { percentile } from './load.ts';
import { graphqlClient } from '../demo/steps.ts';
import { startGraphUnderTest } from './graph-under-test.ts';
import { cpuSeconds, namedProcesses } from './processes.ts';

export interface BillingHop {
  orders: number;
  createdPerSecond: number;
  /** Order row written (orders' transaction) → quote row written (billing's transaction), in ms. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** CPU ms per order of each process of the stack (kafka is the broker's JVM), creation to last quote. */
  cpuMsPerOrder: Record<string, number>;
}

export interface BillingHopOptions {
  orders: number;
  /** Clients creating orders back to back (closed loop): the hop at the stack's full speed. */
  concurrency: number;
  /** Orders per second on a fixed schedule instead (open loop): the hop at a known load. */
  rate?: number;
  warmup: number;
  /** Node flags for every process of the stack (e.g. --cpu-prof). */
  nodeArgs?: string[];
  log(msg: string): void;
}

const input = (i: number) => ({
  reference: `HOP-${Date.now().toString(36)}-${i}`,
  pickup: { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
  dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 },
  parcels: [{ weightKg: 1 + (i % 9) }],
});

/**
 * The hop users feel between processes: `npm run stack` (a process per subgraph, PostgreSQL,
 * Kafka), `orders` orders created through the gateway by `concurrency` clients, and for each the
 * time from the order's row to billing's quote for it: orders' commit and outbox relay, Kafka,
 * billing's consumer and its commit. Both times are PostgreSQL's own clock, read afterwards from
 * the two databases, so nothing in the path is slowed by measuring it.
 */
export async function measureBillingHop(options: BillingHopOptions): Promise<BillingHop> {
  const graph = await startGraphUnderTest('stack', { log: options.log, ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}) });
  try {
    const gql = graphqlClient(graph.gatewayUrl);
    const login = await gql('mutation { login(email: "dispatcher@demo.test", password: "voidtracker") { accessToken } }');
    const token: string = login.data.login.accessToken;
    const createOne = async (i: number, ids: string[]) => {
      const res = await gql('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: input(i) }, token);
      if (!res.data?.createOrder) throw new Error(`createOrder: ${JSON.stringify(res.errors)}`);
      ids.push(res.data.createOrder.id);
    };
    const closedLoop = async (ids: string[], total: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (next < total) await createOne(next++, ids);
        }),
      );
    };
    // Each order leaves at its own time whatever the others do, so a slow stack shows as latency, not as a slower load.
    const openLoop = async (ids: string[], total: number, rate: number) => {
      const t0 = performance.now();
      const sent: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const wait = t0 + (i * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        sent.push(createOne(i, ids));
      }
      await Promise.all(sent);
    };
    const create = (ids: string[], total: number) => (options.rate ? openLoop(ids, total, options.rate) : closedLoop(ids, total));
    options.log(`warming up with ${options.warmup} orders…`);
    await create([], options.warmup);
    options.log(options.rate ? `creating ${options.orders} orders at ${options.rate}/s…` : `creating ${options.orders} orders with ${options.concurrency} clients…`);
    const processes = graph.pid ? namedProcesses(graph.pid) : new Map<string, number[]>();
    const cpuBefore = new Map([...processes].map(([name, pids]) => [name, cpuSeconds(pids)]));
    const ids: string[] = [];
    const started = performance.now();
    await create(ids, options.orders);
    const createdPerSecond = options.orders / ((performance.now() - started) / 1000);

    const billing = new pg.Client({ connectionString: graph.databaseUrl!('billing') });
    const orders = new pg.Client({ connectionString: graph.databaseUrl!('orders') });
    await billing.connect();
    await orders.connect();
    try {
      const deadline = Date.now() + 120_000;
      let quotes: Array<{ orderId: string; createdAt: Date }> = [];
      for (;;) {
        quotes = (await billing.query('SELECT "orderId", "createdAt" FROM "Quote" WHERE "orderId" = ANY($1::uuid[])', [ids])).rows;
        if (quotes.length === ids.length) break;
        if (quotes.length) options.log(`billing has priced ${quotes.length} of ${ids.length}…`);
        if (Date.now() > deadline) throw new Error(`billing priced ${quotes.length} of ${ids.length} orders within 2 minutes`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const cpuMsPerOrder = Object.fromEntries(
        [...processes].map(([name, pids]) => [name, Math.round(((cpuSeconds(pids) - cpuBefore.get(name)!) * 1000 * 10) / ids.length) / 10]),
      );
      const made = new Map<string, Date>((await orders.query('SELECT id, "createdAt" FROM "Order" WHERE id = ANY($1::uuid[])', [ids])).rows.map((r: { id: string; createdAt: Date }) => [r.id, r.createdAt]));
      const latencies = quotes.map((q) => q.createdAt.getTime() - made.get(q.orderId)!.getTime()).sort((a, b) => a - b);
      return {
        orders: ids.length,
        createdPerSecond,
        cpuMsPerOrder,
        latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1)! },
      };
    } finally {
      await billing.end();
      await orders.end();
    }
  } finally {
    await graph.close();
  }
}
