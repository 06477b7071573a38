import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { StopCompleted } from '../subgraphs/planning/events/contracts.ts';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const N = 24;
const YEAR = new Date().getUTCFullYear();

describe.each(await availableBackends())('invoice numbers under concurrent issuing on %s', (backend) => {
  let g: TestGraph;
  let finance: string;
  let drafts: string[];

  beforeAll(async () => {
    g = await startTestGraph(backend);
    const dispatcher = await g.login('dispatcher@demo.test');
    finance = await g.login('finance@demo.test');
    const orderIds: string[] = [];
    for (let i = 0; i < N; i++) {
      const res = await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher);
      orderIds.push(res.data!.createOrder.id);
    }
    // Delivered, as planning announces it: one DRAFT per order (the demo tenant invoices per order).
    const envelopes = orderIds.map((orderId) =>
      StopCompleted.create(
        { routeId: crypto.randomUUID(), stopId: crypto.randomUUID(), orderId, completedAt: new Date().toISOString(), recipientName: null },
        { subject: orderId, orgId: DEMO.organization.id },
      ),
    );
    await g.graph.transport.publish(StopCompleted.topic, envelopes.map((envelope) => ({ envelope })));
    drafts = await eventually('every order on its draft', async () => {
      const res = await g.gql('query { invoices(first: 100, filter: { status: DRAFT }) { edges { node { id } } } }', {}, finance);
      const ids = res.data?.invoices.edges.map((e: { node: { id: string } }) => e.node.id) ?? [];
      return ids.length === N ? (ids as string[]) : undefined;
    });
  });
  afterAll(() => g?.close());

  it(`given ${N} drafts issued at once (each also twice), then the numbers are exactly 1..${N}, none skipped or repeated`, async () => {
    const ISSUE = 'mutation($id: ID!) { issueInvoice(invoiceId: $id) { id number sequence } }';
    // Every draft is issued by two callers racing: one wins, the other gets CONFLICT and must not burn a number.
    const results = await Promise.all([...drafts, ...drafts].map((id) => g.gql(ISSUE, { id }, finance)));
    const won = results.filter((r) => !r.errors).map((r) => r.data!.issueInvoice as { id: string; number: string; sequence: number });
    const lost = results.filter((r) => r.errors).map((r) => r.errors![0]!.extensions!.code);
    expect(lost).toEqual(Array(N).fill('CONFLICT'));
    expect(new Set(won.map((w) => w.id))).toEqual(new Set(drafts));
    expect(won.map((w) => w.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(won.map((w) => w.number).sort()).toEqual(Array.from({ length: N }, (_, i) => `INV-${YEAR}-${String(i + 1).padStart(6, '0')}`));
  });
});
