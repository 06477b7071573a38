import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, orderCreatedEvent, orderInput, startTestGraph, type TestGraph } from '../../gateway/testing/harness.ts';
import { migrationsDir } from '../../scripts/lib/domains.ts';
import { readMigrations } from '../platform/db/migrate.ts';
import { eventually } from '../platform/events/testing/test-support.ts';
import { DEMO, OTHER_TENANT } from '../iam/seed.ts';
import { OrganizationUpdated } from '../iam/events/contracts.ts';
import { OrderCreated } from '../orders/events/contracts.ts';
import { RoutePlanned, StopCompleted } from '../planning/events/contracts.ts';

const ENTITIES = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on RateCard { id code }
    ... on Order { id quote { total distanceSource } }
  }
}`;
const CARDS = 'query { rateCards { id code } }';
const COST = 'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { quote { distanceSource plannedDistanceKm costToServe { amount } } } } }';
const ORDER_INVOICE = 'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { invoice { status lines { order { id } } } } } }';

describe.each(await availableBackends())('the billing subgraph on %s', (backend) => {
  let g: TestGraph;
  let billingUrl: string;
  let finance: string;
  let stranger: string;
  let cardId: string;
  let orderId: string;
  const quote = (id: string) => g.gql(ENTITIES, { reps: [{ __typename: 'Order', id }] }, finance, billingUrl).then((r) => r.data?._entities[0]?.quote);

  beforeAll(async () => {
    g = await startTestGraph(backend);
    billingUrl = g.graph.subgraphs.find((s) => s.name === 'billing')!.url;
    [finance, stranger] = await Promise.all([g.login('finance@demo.test'), g.login('dispatcher@globex.test')]);
    const dispatcher = await g.login('dispatcher@demo.test');
    orderId = (await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher)).data!.createOrder.id;
    await eventually('the order to be quoted', () => quote(orderId));
    cardId = (await g.gql(CARDS, {}, finance, billingUrl)).data!.rateCards[0].id;
  });
  afterAll(() => g?.close());

  it('seeds the default card for every organization iam announces', async () => {
    expect((await g.gql(CARDS, {}, finance, billingUrl)).data!.rateCards).toEqual([{ id: cardId, code: 'ORG_DEFAULT' }]);
  });

  it('resolves its own tenant’s entities by key, and another tenant’s, an unknown or a malformed key to null', async () => {
    const reps = [{ __typename: 'RateCard', id: cardId }, { __typename: 'Order', id: orderId }];
    expect((await g.gql(ENTITIES, { reps }, finance, billingUrl)).data?._entities).toEqual([
      { id: cardId, code: 'ORG_DEFAULT' },
      { id: orderId, quote: { total: expect.stringMatching(/^\d+\.\d{2}$/), distanceSource: 'DIRECT' } },
    ]);
    expect((await g.gql(ENTITIES, { reps }, stranger, billingUrl)).data?._entities).toEqual([null, { id: orderId, quote: null }]);
    const odd = [{ __typename: 'RateCard', id: 'garbage' }, { __typename: 'RateCard', id: '01900000-0000-7000-8000-00000000dead' }];
    expect((await g.gql(ENTITIES, { reps: odd }, finance, billingUrl)).data?._entities).toEqual([null, null]);
    expect((await g.gql(ENTITIES, { reps }, undefined, billingUrl)).data?._entities).toEqual([null, { id: orderId, quote: null }]);
  });

  it('given OrderCreated delivered twice, then the order is quoted once and announced once', async () => {
    const id = crypto.randomUUID();
    const event = orderCreatedEvent(id, DEMO.organization.id, DEMO.users[2].id);
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: event }, { envelope: event }]);
    await eventually('the consumer to catch up', async () => (await g.graph.transport.lag('billing', [OrderCreated.topic])) === 0);
    expect(await quote(id)).toMatchObject({ distanceSource: 'DIRECT' });
    // The tenant in the envelope decides whose quote it is: the other tenant sees none.
    expect(OTHER_TENANT.organization.id).not.toBe(DEMO.organization.id);
  });

  it('given an organization\u2019s locale changes arriving out of order, then the newest one formats its money', async () => {
    const orgId = OTHER_TENANT.organization.id;
    const change = (locale: string, time: string) =>
      OrganizationUpdated.create(
        { organizationId: orgId, name: 'Globex Freight', locale, currency: 'EUR', timeZone: 'UTC', updatedBy: OTHER_TENANT.users[0].id },
        { subject: orgId, orgId, time },
      );
    const newer = change('de-DE', '2026-12-02T00:00:00Z');
    // The newer change, again (a redelivery), then an older one that must not win.
    await g.graph.transport.publish(OrganizationUpdated.topic, [{ envelope: newer }, { envelope: newer }, { envelope: change('bn-BD', '2026-12-01T00:00:00Z') }]);
    await eventually('the consumer to catch up', async () => (await g.graph.transport.lag('billing', [OrganizationUpdated.topic])) === 0);
    const priced = await g.gql('query { priceQuote(input: { parcels: [{ weightKg: 1 }], distanceKm: 10 }) { currency totalMoney { formatted } } }', {}, stranger, billingUrl);
    expect(priced.data?.priceQuote.currency).toBe('EUR');
    // de-DE: dot thousands, comma decimals, the euro sign after a no-break space; bn-BD would use Bengali digits.
    expect(priced.data?.priceQuote.totalMoney.formatted).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\u00a0€$/);
  });

  it('given a delivery announced with (or before) its order, then the order is invoiced once its quote exists, and /metrics counts both', async () => {
    const id = crypto.randomUUID();
    const delivered = StopCompleted.create(
      { routeId: crypto.randomUUID(), stopId: crypto.randomUUID(), orderId: id, completedAt: new Date().toISOString(), recipientName: null },
      { subject: id, orgId: DEMO.organization.id },
    );
    // Two topics, no common order: the delivery may be handled first, or at the very same time.
    await Promise.all([
      g.graph.transport.publish(StopCompleted.topic, [{ envelope: delivered }]),
      g.graph.transport.publish(OrderCreated.topic, [{ envelope: orderCreatedEvent(id, DEMO.organization.id, DEMO.users[2].id) }]),
    ]);
    const invoice = await eventually('the order to be invoiced', async () => (await g.gql(ORDER_INVOICE, { reps: [{ __typename: 'Order', id }] }, finance, billingUrl)).data?._entities[0]?.invoice ?? undefined);
    expect(invoice).toMatchObject({ status: 'DRAFT', lines: [{ order: { id } }] });
    const sample = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 'NaN');
    const text = await eventually('the invoice to be counted', async () => {
      const body = await (await fetch(new URL('/metrics', billingUrl))).text();
      return sample(body, 'voidtracker_billing_invoices_generated_total\\{kind="INVOICE",subgraph="billing"\\}') >= 1 ? body : undefined;
    });
    expect(text).toMatch(/^voidtracker_outbox_backlog\{subgraph="billing"\} \d+$/m);
    expect(sample(text, 'voidtracker_billing_pricing_total\\{outcome="success",reason="",subgraph="billing"\\}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'voidtracker_billing_pricing_duration_seconds_count\\{subgraph="billing"\\}')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^# TYPE voidtracker_billing_pricing_duration_seconds histogram$/m);
  });

  it('given a delivery billing handled before its order, then pricing leaves its plain SQL path for the drafting and the order is quoted and invoiced once', async () => {
    const id = crypto.randomUUID();
    const delivered = StopCompleted.create(
      { routeId: crypto.randomUUID(), stopId: crypto.randomUUID(), orderId: id, completedAt: new Date().toISOString(), recipientName: null },
      { subject: id, orgId: DEMO.organization.id },
    );
    await g.graph.transport.publish(StopCompleted.topic, [{ envelope: delivered }]);
    await eventually('billing to take the delivery', async () => (await g.graph.transport.lag('billing', [StopCompleted.topic])) === 0);
    const created = orderCreatedEvent(id, DEMO.organization.id, DEMO.users[2].id);
    // Twice: the redelivery changes nothing.
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: created }, { envelope: created }]);

    const invoice = await eventually('the order to be invoiced', async () => (await g.gql(ORDER_INVOICE, { reps: [{ __typename: 'Order', id }] }, finance, billingUrl)).data?._entities[0]?.invoice ?? undefined);
    expect(invoice).toMatchObject({ status: 'DRAFT', lines: [{ order: { id } }] });
    expect(await quote(id)).toMatchObject({ distanceSource: 'DIRECT' });
  });

  it('given a route planned before billing saw the order, then its quote carries the planned share as its cost to serve', async () => {
    const id = crypto.randomUUID();
    const route = RoutePlanned.create(
      {
        routeId: crypto.randomUUID(),
        vehicleId: crypto.randomUUID(),
        date: new Date().toISOString().slice(0, 10),
        distanceKm: 12.5,
        stops: [{ stopId: crypto.randomUUID(), orderId: id, sequence: 0, plannedArrival: new Date().toISOString() }],
        removedOrderIds: [],
        driverId: null,
      },
      { subject: id, orgId: DEMO.organization.id },
    );
    await g.graph.transport.publish(RoutePlanned.topic, [{ envelope: route }]);
    await eventually('the route to be applied', async () => (await g.graph.transport.lag('billing', [RoutePlanned.topic])) === 0);
    await g.graph.transport.publish(OrderCreated.topic, [{ envelope: orderCreatedEvent(id, DEMO.organization.id, DEMO.users[2].id) }]);
    const quoted = await eventually('the order to be quoted', async () => (await g.gql(COST, { reps: [{ __typename: 'Order', id }] }, finance, billingUrl)).data?._entities[0]?.quote ?? undefined);
    // The demo organization bills the direct distance: the price stays DIRECT, the planned share is the cost.
    expect(quoted).toEqual({ distanceSource: 'DIRECT', plannedDistanceKm: 12.5, costToServe: { amount: expect.stringMatching(/^\d+\.\d{2}$/) } });
  });

  it('is ready only with its database answering and its migrations applied, and reports its active rate cards', async () => {
    const res = await fetch(new URL('/health/ready', billingUrl));
    expect(res.status).toBe(200);
    // Three seeded organizations (demo, globex, platform) get their default card from iam's events.
    // Every committed migration applied (counted from the folder, so a new migration is not a test edit).
    const migrations = (await readMigrations(migrationsDir('billing'))).length;
    expect(await res.json()).toEqual({ status: 'ready', migrations, activeRateCards: 3 });
  });
});
