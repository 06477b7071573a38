/**
 * Invoice and quote latency through the gateway, on PostgreSQL: issueInvoice (each request issues
 * a different draft), the invoices list, and Order.quote. Starts the whole graph in this process on
 * fresh databases (POSTGRES_URL, default the local server; dropped afterwards) with the rate limit
 * off, makes the drafts by announcing deliveries as planning would, then measures.
 *   npx tsx scripts/bench-invoices.ts [--invoices 400] [--seconds 10] [--concurrency 8] [--backend postgres|pglite]
 */
import { Agent, request } from 'node:http';
import { startTestGraph, orderInput } from '../gateway/testing/harness.ts';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { StopCompleted } from '../subgraphs/planning/events/contracts.ts';
import { percentile, runLoad, type LoadResult } from './bench/load.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'bench:invoices',
  summary: 'Invoice and quote latency through the gateway: issueInvoice, the invoices list and Order.quote, on fresh databases.',
  options: {
    invoices: { type: 'number', default: 400, integer: true, min: 1, description: 'drafts to make before measuring' },
    seconds: { type: 'number', default: 10, min: 1, description: 'how long each scenario runs' },
    concurrency: { type: 'number', default: 8, integer: true, min: 1, description: 'requests in flight' },
    backend: { type: 'string', default: 'postgres', choices: ['postgres', 'pglite'], description: 'the database' },
  },
});
const { invoices, seconds, concurrency } = options;
const backend = options.backend as 'postgres' | 'pglite';
const log = (msg: string) => process.stderr.write(`bench-invoices: ${msg}\n`);

/** Sends each body once, `concurrency` at a time, and times each answer (issuing can only happen once per draft). */
async function runEach(url: string, headers: Record<string, string>, bodies: string[], workers: number): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const once = (payload: string) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(
        { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - started);
            const body = Buffer.concat(chunks).toString();
            if (body.includes('"errors"')) {
              errors++;
              firstError ??= body.slice(0, 200);
            }
            resolve();
          });
        },
      );
      req.on('error', (e) => {
        errors++;
        firstError ??= e.message;
        resolve();
      });
      req.end(payload);
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < bodies.length) await once(bodies[next++]!);
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, errors, seconds: elapsed, perSecond: latencies.length / elapsed, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), firstError };
}

log(`starting the graph on ${backend}…`);
const g = await startTestGraph(backend, { LOG_LEVEL: 'error' });
try {
  const [dispatcher, finance] = await Promise.all([g.login('dispatcher@demo.test'), g.login('finance@demo.test')]);
  log(`creating ${invoices} delivered orders…`);
  const orderIds: string[] = [];
  const create = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
  for (let i = 0; i < invoices; i += 16) {
    const batch = await Promise.all(Array.from({ length: Math.min(16, invoices - i) }, () => g.gql(create, { input: orderInput() }, dispatcher)));
    orderIds.push(...batch.map((r) => r.data!.createOrder.id as string));
  }
  await g.graph.transport.publish(
    StopCompleted.topic,
    orderIds.map((orderId) => ({
      envelope: StopCompleted.create(
        { routeId: crypto.randomUUID(), stopId: crypto.randomUUID(), orderId, completedAt: new Date().toISOString(), recipientName: null },
        { subject: orderId, orgId: DEMO.organization.id },
      ),
    })),
  );
  const drafts: string[] = [];
  for (let after: string | null = null, waited = Date.now(); drafts.length < invoices; ) {
    const res: { data?: any } = await g.gql('query($after: String) { invoices(first: 100, after: $after, filter: { status: DRAFT }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }', { after }, finance);
    const page: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = res.data!.invoices;
    drafts.push(...page.edges.map((e) => e.node.id));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    if (!after && drafts.length < invoices) {
      if (Date.now() - waited > 120_000) throw new Error(`only ${drafts.length} drafts after 2 minutes`);
      drafts.length = 0;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  const headers = (token: string) => ({ authorization: `Bearer ${token}` });
  const issue = 'mutation($id: ID!) { issueInvoice(invoiceId: $id) { id number status total } }';
  const bodies = drafts.map((id) => JSON.stringify({ query: issue, variables: { id } }));
  const warm = Math.min(50, Math.floor(bodies.length / 5));
  log(`issuing ${bodies.length} invoices (first ${warm} as warm-up) at concurrency ${concurrency}…`);
  await runEach(g.url, headers(finance), bodies.slice(0, warm), concurrency);
  const issued = await runEach(g.url, headers(finance), bodies.slice(warm), concurrency);

  const list = JSON.stringify({ query: 'query { invoices(first: 20) { edges { node { id number status currency total customer { id } lines { description amount vatRate } } } pageInfo { hasNextPage endCursor } } }' });
  const quote = JSON.stringify({ query: 'query($id: ID!) { order(id: $id) { id quote { total currency breakdown { code description amount } } } }', variables: { id: orderIds[0] } });
  const noErrors = (_status: number, body: string) => (body.includes('"errors"') ? body.slice(0, 200) : undefined);
  const measure = async (body: string, token: string) => {
    await runLoad({ url: g.url, concurrency, seconds: Math.min(2, seconds), body: () => body, headers: headers(token) });
    return runLoad({ url: g.url, concurrency, seconds, body: () => body, headers: headers(token), check: noErrors });
  };
  log(`measuring the invoices list and Order.quote for ${seconds} s each…`);
  const rows: Array<[string, LoadResult, number]> = [
    [`issueInvoice (${issued.requests} drafts, each once)`, issued, 20],
    ['invoices(first: 20) with lines', await measure(list, finance), 15],
    ['order { quote { total currency breakdown } } (federated)', await measure(quote, dispatcher), 10],
  ];

  console.log(`\nVoidTracker invoice benchmark on ${backend}, through the gateway, ${concurrency} concurrent clients`);
  console.log(`${'scenario'.padEnd(58)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'aim p95'.padStart(8)} ${'errors'.padStart(6)}`);
  for (const [name, r, aim] of rows) {
    console.log(
      `${name.padEnd(58)} ${r.perSecond.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(7)} ${r.p95.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${`< ${aim}`.padStart(8)} ${String(r.errors).padStart(6)}`,
    );
    if (r.firstError) console.log(`  first error: ${r.firstError}`);
  }
} finally {
  await g.close();
}
