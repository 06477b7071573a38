import pg from 'pg';
import { percentile } from './load.ts';
import { DOMAINS } from '../../subgraphs/platform/config.ts';
import { startGraphUnderTest, type GraphUnderTest } from './graph-under-test.ts';
import { cpuSeconds, namedProcesses } from './processes.ts';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** How the stack answered each createOrder: served, or refused/failed by code (HTTP status when there was no code). */
export interface Outcomes {
  served: number;
  /** Error code → count: SERVICE_OVERLOADED is a refusal a client retries; anything else is a failure. */
  refused: Record<string, number>;
}

export interface BillingHop {
  orders: number;
  outcomes: Outcomes;
  createdPerSecond: number;
  /** Order row written (orders' transaction) → quote row written (billing's transaction), in ms, over served orders. */
  latencyMs: Latency;
  /** CPU ms per served order of each process of the stack (kafka is the broker's JVM), creation to last quote. */
  cpuMsPerOrder: Record<string, number>;
  /**
   * Transactions each domain's database committed per served order (PostgreSQL's own count, every
   * statement outside a transaction included): how far batching cuts the per-event work. Empty
   * when the graph does not run on PostgreSQL.
   */
  commitsPerOrder: Record<string, number>;
  /** With idleSeconds: % of one core each process used idle, before the load. */
  idle?: IdleCpu;
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
  idleSeconds?: number;
  log(msg: string): void;
}

export interface ClosedLoopStep {
  concurrency: number;
  outcomes: Outcomes;
  /** Served orders per second over the step. */
  servedPerSecond: number;
  latencyMs: Latency;
}

export interface ClosedLoopSearch {
  steps: ClosedLoopStep[];
  /** The highest served/s of a step with p95 under the aim and nothing refused; 0 when no step met it. */
  maxOrdersPerSecond: number;
  aimP95Ms: number;
  idle?: IdleCpu;
}

const input = (i: number) => ({
  reference: `HOP-${Date.now().toString(36)}-${i}`,
  pickup: { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
  dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 },
  parcels: [{ weightKg: 1 + (i % 9) }],
});

const CREATE = 'mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }';

/** One createOrder through the gateway: its id, or the code it was answered with (never thrown: a refusal is a result). */
async function createOrder(gatewayUrl: string, token: string, i: number): Promise<{ id: string } | { code: string }> {
  let res: Response;
  try {
    res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE, variables: { i: input(i) } }),
    });
  } catch {
    return { code: 'NETWORK_ERROR' };
  }
  const body = (await res.json().catch(() => undefined)) as { data?: { createOrder?: { id: string } | null }; errors?: Array<{ extensions?: { code?: string } }> } | undefined;
  const id = body?.data?.createOrder?.id;
  if (id) return { id };
  return { code: body?.errors?.[0]?.extensions?.code ?? `HTTP_${res.status}` };
}

/** The stack under load: creates orders and reads back, from both databases, how long each took to be priced. */
class HopDriver {
  private next = 0;
  constructor(
    private readonly graph: GraphUnderTest,
    private readonly token: string,
    private readonly log: (msg: string) => void,
  ) {}

  private async one(ids: string[], outcomes: Outcomes): Promise<void> {
    const result = await createOrder(this.graph.gatewayUrl, this.token, this.next++);
    if ('id' in result) {
      ids.push(result.id);
      outcomes.served++;
    } else outcomes.refused[result.code] = (outcomes.refused[result.code] ?? 0) + 1;
  }

  /** `concurrency` clients, each sending its next order as soon as the last was answered. */
  async closedLoop(total: number, concurrency: number): Promise<{ ids: string[]; outcomes: Outcomes }> {
    const ids: string[] = [];
    const outcomes: Outcomes = { served: 0, refused: {} };
    let sent = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < total) {
          sent++;
          await this.one(ids, outcomes);
        }
      }),
    );
    return { ids, outcomes };
  }

  /** Each order leaves at its own time whatever the others do, so a slow stack shows as latency, not as a slower load. */
  async openLoop(total: number, rate: number): Promise<{ ids: string[]; outcomes: Outcomes }> {
    const ids: string[] = [];
    const outcomes: Outcomes = { served: 0, refused: {} };
    const t0 = performance.now();
    const sent: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent.push(this.one(ids, outcomes));
    }
    await Promise.all(sent);
    return { ids, outcomes };
  }

  /** Waits until billing priced every order of `ids`; then order row → quote row per order, both by PostgreSQL's clock. */
  async latencies(ids: string[]): Promise<number[]> {
    if (!ids.length) return [];
    const billing = new pg.Client({ connectionString: this.graph.databaseUrl!('billing') });
    const orders = new pg.Client({ connectionString: this.graph.databaseUrl!('orders') });
    await billing.connect();
    await orders.connect();
    try {
      // A backlog drains at the stack's own pace: give it time in proportion to its size.
      const timeoutMs = 120_000 + ids.length * 200;
      const deadline = Date.now() + timeoutMs;
      let quotes: Array<{ orderId: string; createdAt: Date }> = [];
      let shownAt = 0;
      for (;;) {
        quotes = (await billing.query('SELECT "orderId", "createdAt" FROM "Quote" WHERE "orderId" = ANY($1::uuid[])', [ids])).rows;
        if (quotes.length === ids.length) break;
        if (quotes.length && Date.now() - shownAt > 2_000) {
          shownAt = Date.now();
          this.log(`billing has priced ${quotes.length} of ${ids.length}…`);
        }
        if (Date.now() > deadline) throw new Error(`billing priced ${quotes.length} of ${ids.length} orders within ${Math.round(timeoutMs / 1000)} s`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const made = new Map<string, Date>((await orders.query('SELECT id, "createdAt" FROM "Order" WHERE id = ANY($1::uuid[])', [ids])).rows.map((r: { id: string; createdAt: Date }) => [r.id, r.createdAt]));
      return quotes.map((q) => q.createdAt.getTime() - made.get(q.orderId)!.getTime()).sort((a, b) => a - b);
    } finally {
      await billing.end();
      await orders.end();
    }
  }
}

const summary = (sorted: number[]): Latency =>
  sorted.length
    ? { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)! }
    : { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };

/** CPU each process of the stack used while no request came, in % of one core. */
export type IdleCpu = Record<string, number>;

async function idleCpu(graph: GraphUnderTest, seconds: number): Promise<IdleCpu> {
  const processes = graph.pid ? namedProcesses(graph.pid) : new Map<string, number[]>();
  const before = new Map([...processes].map(([name, pids]) => [name, cpuSeconds(pids)]));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return Object.fromEntries([...processes].map(([name, pids]) => [name, Math.round(((cpuSeconds(pids) - before.get(name)!) / seconds) * 1000) / 10]));
}

interface StackOptions {
  nodeArgs?: string[];
  warmup: number;
  /** After the warm-up, measure each process's CPU over this many seconds without requests first. */
  idleSeconds?: number;
  log(msg: string): void;
}

async function withStack<T>(options: StackOptions, work: (driver: HopDriver, graph: GraphUnderTest, idle: IdleCpu | undefined) => Promise<T>): Promise<T> {
  const graph = await startGraphUnderTest('stack', { log: options.log, ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}) });
  try {
    const login = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(email: "dispatcher@demo.test", password: "voidtracker") { accessToken } }' }),
    });
    const token = ((await login.json()) as { data?: { login?: { accessToken: string } } }).data?.login?.accessToken;
    if (!token) throw new Error('could not sign in as dispatcher@demo.test (is the demo seeded?)');
    const driver = new HopDriver(graph, token, options.log);
    options.log(`warming up with ${options.warmup} orders…`);
    const warm = await driver.closedLoop(options.warmup, 4);
    await driver.latencies(warm.ids);
    let idle: IdleCpu | undefined;
    if (options.idleSeconds) {
      options.log(`idle for ${options.idleSeconds} s (CPU of each process, nothing requested)…`);
      idle = await idleCpu(graph, options.idleSeconds);
    }
    return await work(driver, graph, idle);
  } finally {
    await graph.close();
  }
}

/**
 * Transactions committed so far by each domain's database (pg_stat_database). A busy backend
 * reports its counts at most once a second and an idle one within 10 s, so this waits that out
 * first (read outside the CPU window).
 */
async function databaseCommits(graph: GraphUnderTest): Promise<Record<string, number>> {
  if (!graph.databaseUrl) return {};
  await new Promise((r) => setTimeout(r, 11_000));
  const names = new Map(DOMAINS.map((d) => [decodeURIComponent(new URL(graph.databaseUrl!(d)).pathname.slice(1)), d]));
  const client = new pg.Client({ connectionString: graph.databaseUrl(DOMAINS[0]!) });
  await client.connect();
  try {
    // A fresh snapshot: by default a transaction keeps seeing the statistics it read first.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ datname: string; commits: string }>(
      `SELECT datname, xact_commit::text AS commits FROM pg_stat_database WHERE datname = ANY($1::text[])`,
      [[...names.keys()]],
    );
    return Object.fromEntries(rows.map((r) => [names.get(r.datname)!, Number(r.commits)]));
  } finally {
    await client.end();
  }
}

/**
 * The hop users feel between processes: `npm run stack` (a process per subgraph, PostgreSQL,
 * Kafka), `orders` orders created through the gateway, and for each served one the time from the
 * order's row to billing's quote for it: orders' commit and outbox relay, Kafka, billing's
 * consumer and its commit. Both times are PostgreSQL's own clock, read afterwards from the two
 * databases, so nothing in the path is slowed by measuring it. A refused order is counted by its
 * code, not thrown: under overload the stack must refuse with SERVICE_OVERLOADED, and the count says how often.
 */
export function measureBillingHop(options: BillingHopOptions): Promise<BillingHop> {
  return withStack(options, async (driver, graph, idle) => {
    options.log(options.rate ? `creating ${options.orders} orders at ${options.rate}/s…` : `creating ${options.orders} orders with ${options.concurrency} clients…`);
    const processes = graph.pid ? namedProcesses(graph.pid) : new Map<string, number[]>();
    const commitsBefore = await databaseCommits(graph);
    const cpuBefore = new Map([...processes].map(([name, pids]) => [name, cpuSeconds(pids)]));
    const started = performance.now();
    const { ids, outcomes } = options.rate ? await driver.openLoop(options.orders, options.rate) : await driver.closedLoop(options.orders, options.concurrency);
    const createdPerSecond = options.orders / ((performance.now() - started) / 1000);
    const latencies = await driver.latencies(ids);
    const per = Math.max(1, ids.length);
    const cpuMsPerOrder = Object.fromEntries([...processes].map(([name, pids]) => [name, Math.round(((cpuSeconds(pids) - cpuBefore.get(name)!) * 1000 * 10) / per) / 10]));
    const commitsAfter = await databaseCommits(graph);
    const commitsPerOrder = Object.fromEntries(
      Object.entries(commitsAfter).map(([domain, n]) => [domain, Math.round(((n - (commitsBefore[domain] ?? 0)) * 10) / per) / 10]),
    );
    return { orders: options.orders, outcomes, createdPerSecond, cpuMsPerOrder, commitsPerOrder, latencyMs: summary(latencies), ...(idle ? { idle } : {}) };
  });
}

/**
 * The most orders per second the stack sustains with order → quote p95 under `aimP95Ms`: closed
 * loop, the clients doubling each step (1, 2, 4, …) until a step misses the aim or is refused,
 * each step's backlog priced before the next starts so steps do not blur into each other.
 */
export function findClosedLoopMaximum(options: {
  stepOrders: number;
  maxConcurrency: number;
  aimP95Ms: number;
  warmup: number;
  nodeArgs?: string[];
  idleSeconds?: number;
  log(msg: string): void;
}): Promise<ClosedLoopSearch> {
  return withStack(options, async (driver, _graph, idle) => {
    const steps: ClosedLoopStep[] = [];
    for (let concurrency = 1; concurrency <= options.maxConcurrency; concurrency *= 2) {
      options.log(`closed loop: ${options.stepOrders} orders with ${concurrency} clients…`);
      const started = performance.now();
      const { ids, outcomes } = await driver.closedLoop(options.stepOrders, concurrency);
      const servedPerSecond = ids.length / ((performance.now() - started) / 1000);
      const latencyMs = summary(await driver.latencies(ids));
      const step = { concurrency, outcomes, servedPerSecond: Math.round(servedPerSecond * 10) / 10, latencyMs };
      steps.push(step);
      const refused = Object.values(outcomes.refused).reduce((a, b) => a + b, 0);
      options.log(`  ${step.servedPerSecond} orders/s, p95 ${latencyMs.p95} ms${refused ? `, ${refused} refused` : ''}`);
      if (!(latencyMs.p95 < options.aimP95Ms) || refused) break;
    }
    const met = steps.filter((s) => s.latencyMs.p95 < options.aimP95Ms && !Object.keys(s.outcomes.refused).length);
    return { steps, aimP95Ms: options.aimP95Ms, maxOrdersPerSecond: Math.max(0, ...met.map((s) => s.servedPerSecond)), ...(idle ? { idle } : {}) };
  });
}
