import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { StopCompleted } from '../subgraphs/planning/events/contracts.ts';
import { deliverThroughPlanning as deliverAlong } from './testing/delivery.ts';
import { availableTransports, orderInput, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';

const TRANSPORTS = await availableTransports('billing invoices');

const CUSTOMER_ID = DEMO.users.find((u) => u.email === 'customer@demo.test')!.id;
const YEAR = new Date().getUTCFullYear();

const INVOICE_FIELDS = `id number status kind currency subtotal tax total series fiscalYear sequence customer { id } customerTaxIds { country scheme value }
  issuedAt paidAt voidedAt voidReason periodStart creditsInvoice { id number } creditNotes { id number }
  lines { id position description quantity unitPrice vatCategory vatRate amount taxAmount creditsLineId order { id } breakdown { code amount } rateCard { code version } }`;
const ORDER_INVOICE = `query($id: ID!) { order(id: $id) { id status quote { total billable } invoice { ${INVOICE_FIELDS} } } }`;
const INVOICE = `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS} } }`;
const INVOICES = `query($filter: InvoiceFilter, $first: Int, $after: String) {
  invoices(filter: $filter, first: $first, after: $after) { edges { cursor node { id number status customer { id } total lines { order { id } } } } pageInfo { hasNextPage endCursor } }
}`;
const ISSUE = `mutation($id: ID!) { issueInvoice(invoiceId: $id) { ${INVOICE_FIELDS} } }`;
const PAY = `mutation($id: ID!, $at: DateTime) { markInvoicePaid(invoiceId: $id, paidAt: $at) { id status paidAt } }`;
const VOID = `mutation($id: ID!, $reason: String!, $redraft: Boolean) { voidInvoice(invoiceId: $id, reason: $reason, redraft: $redraft) { id number status voidedAt voidReason } }`;
const CREDIT = `mutation($id: ID!, $reason: String!, $lineIds: [ID!], $redraft: Boolean) {
  issueCreditNote(invoiceId: $id, reason: $reason, lineIds: $lineIds, redraft: $redraft) { ${INVOICE_FIELDS} reason }
}`;
const ADD_LINE = `mutation($input: AddInvoiceLineInput!) { addInvoiceLine(input: $input) { id subtotal tax total lines { description quantity unitPrice vatCategory vatRate amount taxAmount } } }`;
const SETTINGS = `query { billingSettings { invoicingMode consolidationPeriod vatSet vatRates { category ratePercent } defaultVatCategory fiscalYearStartMonth numberPattern invoiceSeries creditNoteSeries exampleNumber } }`;
const UPDATE_SETTINGS = `mutation($input: BillingSettingsInput!) { updateBillingSettings(input: $input) { invoicingMode vatSet vatRates { category ratePercent } fiscalYearStartMonth numberPattern exampleNumber } }`;
const SET_TAX_ID = `mutation($input: CustomerTaxIdInput!) { setCustomerTaxId(input: $input) { customerId country scheme value } }`;

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const error = (res: GqlResponse) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field });
const cents = (amount: string) => Math.round(Number(amount) * 100);

/** Tokens for principals the demo seed has no user for (another tenant's finance), signed with the graph's own key. */
async function tokenMinter() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return {
    env: { JWT_PRIVATE_KEY: await exportPKCS8(privateKey) },
    mint: (orgId: string, roles: string[], userId = crypto.randomUUID()) =>
      new SignJWT({ org: orgId, roles })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(userId)
        .setIssuer('voidtracker-iam')
        .setAudience('voidtracker')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
  };
}

describe.each(TRANSPORTS)('invoices through the gateway on the %s transport', (kind) => {
  let g: TestGraph;
  let dispatcher: string;
  let driver: string;
  let customer: string;
  let finance: string;
  let stranger: string;
  let globexFinance: string;

  const createOrder = async (token = dispatcher, overrides: Record<string, unknown> = {}) => {
    const id = ok(await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput(overrides) }, token)).createOrder.id as string;
    await eventually('the order to be quoted', async () => (await g.gql(ORDER_INVOICE, { id }, token)).data?.order?.quote ?? undefined);
    return id;
  };
  const orderInvoice = async (id: string, token = finance) => ok(await g.gql(ORDER_INVOICE, { id }, token)).order?.invoice;
  const invoiced = (id: string, status = 'DRAFT', token = finance) =>
    eventually(`order ${id} on a ${status} invoice`, async () => {
      const invoice = await orderInvoice(id, token);
      return invoice?.status === status ? invoice : undefined;
    });
  /** What planning publishes when a driver completes a stop; tests of billing alone need no route. */
  const stopCompleted = (orderId: string, orgId: string = DEMO.organization.id) =>
    StopCompleted.create(
      { routeId: crypto.randomUUID(), stopId: crypto.randomUUID(), orderId, completedAt: new Date().toISOString(), recipientName: 'R. Ecipient' },
      { subject: orderId, orgId },
    );
  const publish = async (...envelopes: ReturnType<typeof stopCompleted>[]) => {
    await g.graph.transport.publish(StopCompleted.topic, envelopes.map((envelope) => ({ envelope, key: envelope.subject })));
    await eventually('billing to catch up', async () => (await g.graph.transport.lag('billing', [StopCompleted.topic])) === 0);
  };
  const deliveredDraft = async (token = dispatcher) => {
    const id = await createOrder(token);
    await publish(stopCompleted(id));
    return { orderId: id, invoice: await invoiced(id) };
  };
  const issue = async (invoiceId: string, token = finance) => ok(await g.gql(ISSUE, { id: invoiceId }, token)).issueInvoice;

  const deliverThroughPlanning = (orderId: string) => deliverAlong(g, { dispatcher, driver }, orderId);

  beforeAll(async () => {
    const minter = await tokenMinter();
    g = await startTestGraphOn(kind, minter.env);
    [dispatcher, driver, customer, finance, stranger] = await Promise.all([
      g.login('dispatcher@demo.test'),
      g.login('driver@demo.test'),
      g.login('customer@demo.test'),
      g.login('finance@demo.test'),
      g.login('dispatcher@globex.test'),
    ]);
    globexFinance = await minter.mint(OTHER_TENANT.organization.id, ['FINANCE']);
  });
  afterAll(() => g?.close());

  it('given an order delivered by its driver, then it is on a DRAFT with one VAT line; finance issues it, numbered, and marks it paid', async () => {
    const orderId = await createOrder();
    await deliverThroughPlanning(orderId);
    const draft = await invoiced(orderId);
    const { quote } = ok(await g.gql(ORDER_INVOICE, { id: orderId }, finance)).order;
    expect(draft).toMatchObject({ number: null, kind: 'INVOICE', currency: 'EUR', customerTaxIds: [], issuedAt: null, customer: { id: DEMO.users[1].id } });
    expect(draft.lines).toEqual([
      expect.objectContaining({ position: 1, quantity: '1.000', unitPrice: quote.total, vatCategory: 'STANDARD', vatRate: '19.00', amount: quote.total, order: { id: orderId }, rateCard: { code: 'ORG_DEFAULT', version: 1 } }),
    ]);
    const line = draft.lines[0];
    // The checkout price holds (docs/billing.md, "Price lock"): priced on the direct distance.
    expect(line.description).toMatch(new RegExp(`^Delivery of order ${orderId} on \\d{4}-\\d{2}-\\d{2}: [\\d.]+ km \\(direct\\)`));
    expect(cents(line.taxAmount)).toBe(Math.round((cents(quote.total) * 19) / 100));
    expect(line.breakdown.map((l: { code: string }) => l.code)).toContain('BASE_FEE');
    expect(draft).toMatchObject({ subtotal: quote.total, tax: line.taxAmount });
    expect(cents(draft.total)).toBe(cents(draft.subtotal) + cents(draft.tax));
    // Dispatchers and drivers see no invoices; the order's customer does not see a draft.
    expect(await orderInvoice(orderId, dispatcher)).toBeNull();
    expect(error(await g.gql(INVOICES, {}, dispatcher)).code).toBe('FORBIDDEN');

    const issued = await issue(draft.id);
    expect(issued).toMatchObject({ id: draft.id, status: 'ISSUED', series: 'INV', fiscalYear: YEAR, total: draft.total, lines: draft.lines });
    expect(issued.number).toBe(`INV-${YEAR}-${String(issued.sequence).padStart(6, '0')}`);
    expect(Date.parse(issued.issuedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await orderInvoice(orderId)).toMatchObject({ id: draft.id, status: 'ISSUED', number: issued.number });

    const paid = ok(await g.gql(PAY, { id: draft.id }, finance)).markInvoicePaid;
    expect(paid).toMatchObject({ status: 'PAID', paidAt: expect.any(String) });
    const listed = ok(await g.gql(INVOICES, { filter: { number: issued.number } }, finance)).invoices.edges;
    expect(listed.map((e: { node: { id: string; status: string } }) => e.node)).toEqual([expect.objectContaining({ id: draft.id, status: 'PAID' })]);
  });

  it('given stop.completed delivered twice, and again as another event, then the order is on one invoice line exactly once', async () => {
    const orderId = await createOrder();
    const event = stopCompleted(orderId);
    await publish(event, event, stopCompleted(orderId));
    const draft = await invoiced(orderId);
    expect(draft.lines).toHaveLength(1);
    const drafts = ok(await g.gql(INVOICES, { filter: { status: 'DRAFT' }, first: 100 }, finance)).invoices.edges;
    const carrying = drafts.filter((e: { node: { lines: Array<{ order: { id: string } | null }> } }) => e.node.lines.some((l) => l.order?.id === orderId));
    expect(carrying).toHaveLength(1);
  });

  it('given a cancelled order, then it is never invoiced; cancelled while on a draft, it leaves the draft', async () => {
    const cancelled = await createOrder();
    ok(await g.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: cancelled }, dispatcher));
    await eventually('the quote to be no longer billable', async () => ok(await g.gql(ORDER_INVOICE, { id: cancelled }, finance)).order.quote.billable === false);
    await publish(stopCompleted(cancelled));
    expect(await orderInvoice(cancelled)).toBeNull();

    const { orderId, invoice } = await deliveredDraft();
    ok(await g.gql('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: orderId }, dispatcher));
    await eventually('the cancelled order to leave its draft', async () => (await orderInvoice(orderId)) === null);
    expect(ok(await g.gql(INVOICE, { id: invoice.id }, finance)).invoice).toBeNull(); // an emptied draft goes
  });

  it('given an issued invoice, then a credit note of its own series has the exact negative amounts and references it, once per line', async () => {
    const { orderId, invoice } = await deliveredDraft();
    ok(await g.gql(ADD_LINE, { input: { invoiceId: invoice.id, description: 'Waiting time', quantity: '0.5', unitPrice: '30.00', vatCategory: 'REDUCED' } }, finance));
    const issued = await issue(invoice.id);
    expect(issued.lines.map((l: { vatCategory: string; vatRate: string }) => [l.vatCategory, l.vatRate])).toEqual([['STANDARD', '19.00'], ['REDUCED', '7.00']]);
    expect(issued.lines[1]).toMatchObject({ quantity: '0.500', amount: '15.00', taxAmount: '1.05' });

    const note = ok(await g.gql(CREDIT, { id: issued.id, reason: 'Wrong address surcharge' }, finance)).issueCreditNote;
    expect(note).toMatchObject({ kind: 'CREDIT_NOTE', status: 'ISSUED', series: 'CN', reason: 'Wrong address surcharge', creditsInvoice: { id: issued.id, number: issued.number } });
    expect(note.number).toBe(`CN-${YEAR}-${String(note.sequence).padStart(6, '0')}`);
    expect([note.subtotal, note.tax, note.total]).toEqual([`-${issued.subtotal}`, `-${issued.tax}`, `-${issued.total}`]);
    expect(note.lines.map((l: { creditsLineId: string; quantity: string; amount: string }) => [l.creditsLineId, l.quantity, l.amount])).toEqual(
      issued.lines.map((l: { id: string; quantity: string; amount: string }) => [l.id, `-${l.quantity}`, `-${l.amount}`]),
    );
    expect(ok(await g.gql(INVOICE, { id: issued.id }, finance)).invoice.creditNotes).toEqual([{ id: note.id, number: note.number }]);
    expect(error(await g.gql(CREDIT, { id: issued.id, reason: 'again' }, finance))).toEqual({ code: 'CONFLICT', field: 'invoiceId' });
    expect(error(await g.gql(CREDIT, { id: note.id, reason: 'credit the credit' }, finance))).toEqual({ code: 'CONFLICT', field: 'invoiceId' });
    // The order stays on the credited invoice: crediting alone does not invoice it again.
    expect((await orderInvoice(orderId)).id).toBe(issued.id);

    const second = await deliveredDraft();
    const issued2 = await issue(second.invoice.id);
    ok(await g.gql(CREDIT, { id: issued2.id, reason: 'Re-price', lineIds: [issued2.lines[0].id], redraft: true }, finance));
    const redrafted = await invoiced(second.orderId);
    expect(redrafted.id).not.toBe(issued2.id);
  });

  it('given an issued invoice voided, then it keeps its number and its order goes on a new draft; a void invoice cannot be paid', async () => {
    const { orderId, invoice } = await deliveredDraft();
    const issued = await issue(invoice.id);
    const voided = ok(await g.gql(VOID, { id: issued.id, reason: 'Billed to the wrong customer' }, finance)).voidInvoice;
    expect(voided).toMatchObject({ id: issued.id, number: issued.number, status: 'VOID', voidReason: 'Billed to the wrong customer' });
    const again = await invoiced(orderId);
    expect(again.id).not.toBe(issued.id);
    expect(error(await g.gql(PAY, { id: issued.id }, finance))).toEqual({ code: 'CONFLICT', field: 'invoiceId' });
    expect(error(await g.gql(VOID, { id: issued.id, reason: 'twice' }, finance))).toEqual({ code: 'CONFLICT', field: 'invoiceId' });
    // A voided draft with redraft false writes the order off: it is on no invoice.
    ok(await g.gql(VOID, { id: again.id, reason: 'Goodwill', redraft: false }, finance));
    expect(await orderInvoice(orderId)).toBeNull();
  });

  it('given a customer, then they see their own issued invoices only; another tenant sees none and acts on none (NOT_FOUND)', async () => {
    ok(await g.gql(SET_TAX_ID, { input: { customerId: CUSTOMER_ID, country: 'DE', value: 'DE 123 456 789' } }, finance));
    const { orderId, invoice } = await deliveredDraft(customer);
    expect(await orderInvoice(orderId, customer)).toBeNull(); // a draft is finance's work in progress
    const issued = await issue(invoice.id);
    expect(issued.customerTaxIds).toEqual([{ country: 'DE', scheme: 'VAT', value: 'DE123456789' }]);
    expect(await orderInvoice(orderId, customer)).toMatchObject({ id: invoice.id, number: issued.number });
    expect(ok(await g.gql(INVOICE, { id: invoice.id }, customer)).invoice.id).toBe(invoice.id);
    const mine = ok(await g.gql(INVOICES, { first: 100 }, customer)).invoices.edges;
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((e: { node: { customer: { id: string } } }) => e.node.customer.id))).toEqual(new Set([CUSTOMER_ID]));
    expect(ok(await g.gql(INVOICES, { filter: { customerId: DEMO.users[1].id } }, customer)).invoices.edges).toEqual([]);
    expect(ok(await g.gql(INVOICES, { filter: { status: 'DRAFT' } }, customer)).invoices.edges).toEqual([]);
    // Through iam's Organization (federation), the same scope.
    const viaOrg = ok(await g.gql('query($n: String) { me { organization { invoices(filter: { number: $n }) { edges { node { id } } } } } }', { n: issued.number }, customer));
    expect(viaOrg.me.organization.invoices.edges).toEqual([{ node: { id: invoice.id } }]);

    expect(ok(await g.gql(INVOICE, { id: invoice.id }, stranger)).invoice).toBeNull();
    expect(ok(await g.gql(INVOICE, { id: invoice.id }, globexFinance)).invoice).toBeNull();
    expect(ok(await g.gql(ORDER_INVOICE, { id: orderId }, globexFinance)).order).toBeNull();
    expect(ok(await g.gql(INVOICES, { filter: { number: issued.number } }, globexFinance)).invoices.edges).toEqual([]);
    for (const res of [
      await g.gql(PAY, { id: invoice.id }, globexFinance),
      await g.gql(VOID, { id: invoice.id, reason: 'x' }, globexFinance),
      await g.gql(CREDIT, { id: invoice.id, reason: 'x' }, globexFinance),
      await g.gql(ISSUE, { id: invoice.id }, globexFinance),
    ]) {
      expect(error(res)).toEqual({ code: 'NOT_FOUND', field: 'invoiceId' });
    }
    const card = ok(await g.gql('query { rateCards { id } }', {}, finance)).rateCards[0];
    const foreignCard = await g.gql('mutation($input: PublishRateCardVersionInput!) { publishRateCardVersion(input: $input) { id } }', { input: { rateCardId: card.id, name: 'x', currency: 'EUR', rules: [{ kind: 'BASE_FEE', amount: '1' }] } }, globexFinance);
    expect(error(foreignCard)).toEqual({ code: 'NOT_FOUND', field: 'input.rateCardId' });
  });

  it('given the Bangladesh set, consolidation and a July fiscal year (Globex), then one draft collects the month and numbers follow the pattern', async () => {
    expect(ok(await g.gql(SETTINGS, {}, globexFinance)).billingSettings).toMatchObject({
      invoicingMode: 'CONSOLIDATED',
      vatSet: 'BD',
      vatRates: [{ category: 'STANDARD', ratePercent: '15' }, { category: 'REDUCED', ratePercent: '7.5' }, { category: 'SUPER_REDUCED', ratePercent: '5' }, { category: 'ZERO', ratePercent: '0' }],
      fiscalYearStartMonth: 7,
      numberPattern: '{series}/{fy}-{fyEnd}/{seq:5}',
    });
    const ids = [await createOrder(stranger), await createOrder(stranger)];
    await publish(...ids.map((id) => stopCompleted(id, OTHER_TENANT.organization.id)));
    const draft = await invoiced(ids[1]!, 'DRAFT', globexFinance);
    expect((await orderInvoice(ids[0]!, globexFinance)).id).toBe(draft.id);
    expect(draft.lines.map((l: { order: { id: string }; vatRate: string }) => [l.order.id, l.vatRate]).sort()).toEqual(ids.map((id) => [id, '15.00']).sort());
    expect(draft.periodStart).toBe(new Date(Date.UTC(YEAR, new Date().getUTCMonth(), 1)).toISOString());
    ok(await g.gql(ADD_LINE, { input: { invoiceId: draft.id, description: 'Export documents', quantity: '1', unitPrice: '2.50', vatCategory: 'SUPER_REDUCED' } }, globexFinance));
    const issued = await issue(draft.id, globexFinance);
    const fy = new Date().getUTCMonth() + 1 >= 7 ? YEAR : YEAR - 1;
    expect(issued.number).toBe(`INV/${fy}-${fy + 1}/00001`);
    expect(issued.lines.at(-1)).toMatchObject({ vatRate: '5.00', amount: '2.50', taxAmount: '0.13' }); // 0.125 -> 0.13
    // The next delivery of the month opens a new draft: the issued one is closed.
    const later = await createOrder(stranger);
    await publish(stopCompleted(later, OTHER_TENANT.organization.id));
    expect((await invoiced(later, 'DRAFT', globexFinance)).id).not.toBe(draft.id);
  });

  it('refuses bad input with the rule or field at fault', async () => {
    const settings = (input: Record<string, unknown>) => g.gql(UPDATE_SETTINGS, { input }, finance).then(error);
    expect(await settings({ vatRates: [{ category: 'STANDARD', ratePercent: '120' }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.vatRates.0.ratePercent' });
    expect(await settings({ vatRates: [{ category: 'STANDARD', ratePercent: '-1' }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.vatRates.0.ratePercent' });
    expect(await settings({ vatSet: 'ATLANTIS' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.vatSet' });
    expect(await settings({ fiscalYearStartMonth: 0 })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.fiscalYearStartMonth' });
    expect(await settings({ numberPattern: '{series}-{seq}' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.numberPattern' });
    expect(error(await g.gql(UPDATE_SETTINGS, { input: { fiscalYearStartMonth: 7 } }, dispatcher)).code).toBe('FORBIDDEN');

    const taxId = (input: Record<string, unknown>) => g.gql(SET_TAX_ID, { input: { customerId: CUSTOMER_ID, country: 'BD', value: '1234567890', ...input } }, finance).then(error);
    expect(await taxId({ value: '12345' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.value' });
    expect(await taxId({ country: 'DE', value: 'DE12345' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.value' });
    expect(await taxId({ country: 'XX' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.country' });
    expect(await taxId({ customerId: 'nope' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.customerId' });
    expect(ok(await g.gql(SET_TAX_ID, { input: { customerId: CUSTOMER_ID, country: 'BD', value: '000123456-0101' } }, finance)).setCustomerTaxId).toMatchObject({ scheme: 'BIN', value: '0001234560101' });

    const card = (input: Record<string, unknown>) =>
      g.gql('mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id } }', { input: { code: 'BAD', name: 'Bad', currency: 'EUR', rules: [{ kind: 'BASE_FEE', amount: '1' }], ...input } }, finance).then(error);
    expect(await card({ currency: 'ZZZ' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.currency' });
    expect(await card({ rules: [{ kind: 'BASE_FEE', amount: '-4.90' }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rules.0.amount' });
    expect(await card({ rules: [{ kind: 'DISTANCE_BANDS', bands: [{ fromKm: 0, toKm: 10, amount: '1' }, { fromKm: 8, toKm: null, amount: '2' }] }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rules.0.bands.1.fromKm' });

    const { invoice } = await deliveredDraft();
    const line = (input: Record<string, unknown>) => g.gql(ADD_LINE, { input: { invoiceId: invoice.id, description: 'Extra', quantity: '1', unitPrice: '1.00', vatCategory: 'STANDARD', ...input } }, finance).then(error);
    expect(await line({ unitPrice: '1.001' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.unitPrice' });
    expect(await line({ quantity: '0' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.quantity' });
    expect(await line({ vatCategory: 'SUPER_REDUCED' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.vatCategory' }); // not in the EU (DE) set
    expect(error(await g.gql(ISSUE, { id: crypto.randomUUID() }, finance))).toEqual({ code: 'NOT_FOUND', field: 'invoiceId' });
    expect(error(await g.gql(ISSUE, { id: 'not-an-id' }, finance))).toEqual({ code: 'NOT_FOUND', field: 'invoiceId' });
    expect(error(await g.gql(PAY, { id: invoice.id }, finance))).toEqual({ code: 'CONFLICT', field: 'invoiceId' }); // a draft is not payable
    await issue(invoice.id);
    expect(error(await g.gql(ISSUE, { id: invoice.id }, finance))).toEqual({ code: 'CONFLICT', field: 'invoiceId' });
    expect(await line({})).toEqual({ code: 'CONFLICT', field: 'input.invoiceId' });
    expect(error(await g.gql(PAY, { id: invoice.id, at: '2099-01-01T00:00:00Z' }, finance))).toEqual({ code: 'BAD_USER_INPUT', field: 'paidAt' });
    expect(error(await g.gql(PAY, { id: invoice.id, at: '2000-01-01T00:00:00Z' }, finance))).toEqual({ code: 'BAD_USER_INPUT', field: 'paidAt' });
    expect(error(await g.gql(VOID, { id: invoice.id, reason: '  ' }, finance))).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(error(await g.gql(INVOICES, { filter: { issuedFrom: '2031-02-01T00:00:00Z', issuedTo: '2031-01-01T00:00:00Z' } }, finance))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.issuedTo' });
    expect(error(await g.gql(INVOICES, { first: 1000 }, finance))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('pages invoices newest first with Relay cursors and filters by date range', async () => {
    const first = ok(await g.gql(INVOICES, { first: 2 }, finance)).invoices;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = ok(await g.gql(INVOICES, { first: 2, after: first.pageInfo.endCursor }, finance)).invoices;
    expect(next.edges[0].node.id < first.edges[1].node.id).toBe(true);
    const now = Date.now();
    const issuedToday = ok(await g.gql(INVOICES, { filter: { issuedFrom: new Date(now - 3_600_000).toISOString(), issuedTo: new Date(now + 60_000).toISOString() }, first: 100 }, finance)).invoices.edges;
    expect(issuedToday.length).toBeGreaterThan(0);
    expect(issuedToday.every((e: { node: { status: string } }) => e.node.status !== 'DRAFT')).toBe(true);
    expect(ok(await g.gql(INVOICES, { filter: { issuedFrom: '2030-01-01T00:00:00Z' } }, finance)).invoices.edges).toEqual([]);
  });
});
