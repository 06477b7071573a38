import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { databaseFor } from '../subgraphs/platform/config.ts';
import { openDatabase } from '../subgraphs/platform/db/database.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { StopCompleted } from '../subgraphs/planning/events/contracts.ts';
import { restartSubgraph } from './testing/faults/graph.ts';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const ISSUE = 'mutation($id: ID!) { issueInvoice(invoiceId: $id) { id number sequence } }';
const DRAFTS = 'query { invoices(first: 10, filter: { status: DRAFT }) { edges { node { id } } } }';
const FAILURES = /^voidtracker_billing_invoice_numbering_failures_total\{kind="INVOICE",subgraph="billing"\} (\d+)$/m;
/** The counter column is a 32-bit integer: one more than this cannot be stored. */
const INT4_MAX = 2_147_483_647;

describe.each(await availableBackends())('invoice numbering failures on %s', (backend) => {
  let g: TestGraph;
  let dataDir: string | undefined;
  let finance: string;
  let drafts: string[];
  const billingUrl = () => g.graph.subgraphs.find((s) => s.name === 'billing')!.url;
  const failures = async () => {
    const text = await (await fetch(new URL('/metrics', billingUrl()))).text();
    // NaN when the series is missing: it must be served at 0 before any failure.
    return Number(FAILURES.exec(text)?.[1] ?? Number.NaN);
  };

  beforeAll(async () => {
    // A restart keeps PGlite's data only on disk; PostgreSQL keeps it anyway.
    if (backend === 'pglite') dataDir = await mkdtemp(join(tmpdir(), 'vt-numbering-'));
    g = await startTestGraph(backend, dataDir ? { DATA_DIR: dataDir } : {});
    const dispatcher = await g.login('dispatcher@demo.test');
    finance = await g.login('finance@demo.test');
    const orderIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      orderIds.push((await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher)).data!.createOrder.id);
    }
    const delivered = orderIds.map((orderId) => ({
      envelope: StopCompleted.create(
        { routeId: crypto.randomUUID(), stopId: crypto.randomUUID(), orderId, completedAt: new Date().toISOString(), recipientName: null },
        { subject: orderId, orgId: DEMO.organization.id },
      ),
    }));
    await g.graph.transport.publish(StopCompleted.topic, delivered);
    drafts = await eventually('a draft per order', async () => {
      const ids = ((await g.gql(DRAFTS, {}, finance)).data?.invoices.edges ?? []).map((e: { node: { id: string } }) => e.node.id) as string[];
      return ids.length === 2 ? ids : undefined;
    });
  }, 120_000);
  afterAll(async () => {
    await g?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('given a working counter, then issuing numbers the invoice and counts no failure', async () => {
    const res = await g.gql(ISSUE, { id: drafts[0] }, finance);
    expect(res.errors).toBeUndefined();
    expect(res.data!.issueInvoice.sequence).toBe(1);
    expect(await failures()).toBe(0);
    // The outbox alert's gauge is served beside it.
    const text = await (await fetch(new URL('/metrics', billingUrl()))).text();
    expect(text).toMatch(/^voidtracker_outbox_oldest_unsent_age_seconds\{subgraph="billing"\} [\d.e+-]+$/m);
  });

  it('given an exhausted counter row, when issuing, then the issue fails, the draft stays a draft and /metrics counts the failure', async () => {
    await restartSubgraph(g, 'billing', async () => {
      const database = await openDatabase(databaseFor(g.config, 'billing'));
      try {
        const rows = await database.query(`UPDATE "InvoiceCounter" SET "last" = $1 RETURNING "series"`, [INT4_MAX]);
        expect(rows).toHaveLength(1);
      } finally {
        await database.close();
      }
    });
    // A fresh process: its counter starts at zero, so what follows is this failure alone.
    expect(await failures()).toBe(0);

    const res = await g.gql(ISSUE, { id: drafts[1] }, finance, billingUrl());
    expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await failures()).toBe(1);
    const left = (await g.gql(DRAFTS, {}, finance, billingUrl())).data!.invoices.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(left).toEqual([drafts[1]]);
  }, 120_000);
});
