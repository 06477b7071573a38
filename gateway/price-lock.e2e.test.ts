import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { completeOrderStop, planOrder } from './testing/delivery.ts';
import { orderInput, type GqlResponse, type TestGraph } from './testing/harness.ts';
import { liveSetups, startLiveGraph } from './testing/live-graphs.ts';

const SETUPS = await liveSetups();

const DAY_MS = 86_400_000;
const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id createdAt } }';
const PRICE = 'total currency distanceSource version reason lockedUntil';
const CUSTOMER_QUOTE = `query($id: ID!) { order(id: $id) { quote { ${PRICE} } } }`;
const FINANCE_QUOTE = `query($id: ID!) { order(id: $id) { quote { ${PRICE} plannedDistanceKm costToServe { amount currency } margin { amount currency } } } }`;
const COST_ONLY = 'query($id: ID!) { order(id: $id) { quote { total costToServe { amount } } } }';
const INVOICE_LINES = 'query($id: ID!) { order(id: $id) { invoice { status lines { unitPrice amount order { id } } } } }';
const SETTINGS = 'mutation($input: BillingSettingsInput!) { updateBillingSettings(input: $input) { quoteValidityDays repriceOnPlanning } }';
const RATE_CARDS = 'query { rateCards { id code } }';
const PUBLISH = 'mutation($input: PublishRateCardVersionInput!) { publishRateCardVersion(input: $input) { version } }';

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe.each(SETUPS)('the checkout price through the gateway, $name', (setup) => {
  let g: TestGraph;
  let dispatcher: string;
  let driver: string;
  let customer: string;
  let finance: string;

  const checkout = async (token = customer) => {
    const order = ok(await g.gql(CREATE_ORDER, { input: orderInput() }, token)).createOrder as { id: string; createdAt: string };
    const quote = await eventually('the checkout quote', async () => (await g.gql(CUSTOMER_QUOTE, { id: order.id }, token)).data?.order?.quote ?? undefined);
    return { ...order, quote };
  };
  const financeQuote = async (id: string) => ok(await g.gql(FINANCE_QUOTE, { id }, finance)).order.quote;
  const invoiceLine = (id: string) =>
    eventually('the delivery on a draft invoice', async () => {
      const invoice = ok(await g.gql(INVOICE_LINES, { id }, finance)).order.invoice;
      return invoice?.lines.find((l: { order: { id: string } }) => l.order.id === id);
    });

  beforeAll(async () => {
    g = await startLiveGraph(setup);
    [dispatcher, driver, customer, finance] = await Promise.all([
      g.login('dispatcher@demo.test'),
      g.login('driver@demo.test'),
      g.login('customer@demo.test'),
      g.login('finance@demo.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given a customer’s order, when it is planned, delivered and invoiced, then the invoice is at the checkout price and finance alone sees the cost to serve', async () => {
    const order = await checkout();
    expect(order.quote).toMatchObject({ currency: 'EUR', distanceSource: 'DIRECT', version: 1, reason: 'CHECKOUT' });
    expect(Date.parse(order.quote.lockedUntil)).toBe(Date.parse(order.createdAt) + 30 * DAY_MS);

    const route = await planOrder(g, dispatcher, order.id);
    const planned = await eventually('the cost to serve on the planned route', async () => {
      const q = await financeQuote(order.id);
      return q.costToServe ? q : undefined;
    });
    // The price did not move; the route's share is recorded beside it, priced by the same card.
    expect(planned).toMatchObject({ total: order.quote.total, distanceSource: 'DIRECT', version: 1, reason: 'CHECKOUT', costToServe: { currency: 'EUR' } });
    expect(planned.plannedDistanceKm).toBeCloseTo(route.distanceKm / route.stops.length, 2);
    expect(cents(planned.costToServe.amount)).not.toBe(cents(order.quote.total));
    expect(cents(planned.margin.amount)).toBe(cents(order.quote.total) - cents(planned.costToServe.amount));

    const hidden = await g.gql(COST_ONLY, { id: order.id }, customer);
    expect(hidden.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'order.quote.costToServe']]);
    expect(hidden.data?.order?.quote).toEqual({ total: order.quote.total, costToServe: null });
    expect((await g.gql(COST_ONLY, { id: order.id }, dispatcher)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await completeOrderStop(g, { dispatcher, driver }, route, order.id);
    expect(await invoiceLine(order.id)).toMatchObject({ unitPrice: order.quote.total, amount: order.quote.total });
    expect(ok(await g.gql(CUSTOMER_QUOTE, { id: order.id }, customer)).order.quote).toEqual(order.quote);
  });

  it('given an organization billing the planned distance, when an order is planned, then it is re-priced as version 2 and invoiced at that price', async () => {
    expect(ok(await g.gql(SETTINGS, { input: { repriceOnPlanning: true } }, finance)).updateBillingSettings).toEqual({ quoteValidityDays: 30, repriceOnPlanning: true });
    try {
      const order = await checkout(dispatcher);
      const route = await planOrder(g, dispatcher, order.id);
      const repriced = await eventually('the quote re-priced on the route', async () => {
        const q = await financeQuote(order.id);
        return q.version === 2 ? q : undefined;
      });
      expect(repriced).toMatchObject({ distanceSource: 'PLANNED', reason: 'PLANNED_DISTANCE', lockedUntil: order.quote.lockedUntil, margin: { amount: '0.00' } });
      expect(repriced.costToServe.amount).toBe(repriced.total);
      expect(repriced.total).not.toBe(order.quote.total);
      await completeOrderStop(g, { dispatcher, driver }, route, order.id);
      expect(await invoiceLine(order.id)).toMatchObject({ unitPrice: repriced.total });
    } finally {
      ok(await g.gql(SETTINGS, { input: { repriceOnPlanning: false } }, finance));
    }
  });

  // Last: it publishes a new default card for the tenant.
  it('given a lock that ended before the delivery, then the order is re-priced by the card in force at delivery, as a new version, and invoiced at that', async () => {
    ok(await g.gql(SETTINGS, { input: { quoteValidityDays: 0 } }, finance));
    try {
      const order = await checkout();
      expect(Date.parse(order.quote.lockedUntil)).toBe(Date.parse(order.createdAt));
      const card = ok(await g.gql(RATE_CARDS, {}, finance)).rateCards.find((c: { code: string }) => c.code === 'ORG_DEFAULT');
      ok(await g.gql(PUBLISH, { input: { rateCardId: card.id, name: 'Flat rate', currency: 'EUR', rules: [{ kind: 'BASE_FEE', amount: '42' }] } }, finance));
      const route = await planOrder(g, dispatcher, order.id);
      await completeOrderStop(g, { dispatcher, driver }, route, order.id);
      expect(await invoiceLine(order.id)).toMatchObject({ unitPrice: '42.00', amount: '42.00' });
      expect(ok(await g.gql(CUSTOMER_QUOTE, { id: order.id }, customer)).order.quote).toMatchObject({ total: '42.00', version: 2, reason: 'LOCK_EXPIRED', lockedUntil: null });
    } finally {
      ok(await g.gql(SETTINGS, { input: { quoteValidityDays: 30 } }, finance));
    }
  });
});
