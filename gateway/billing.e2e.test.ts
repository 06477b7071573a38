import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { availableTransports, orderInput, startTestGraphOn, type GqlResponse, type TestGraph } from './testing/harness.ts';

const TRANSPORTS = await availableTransports('billing');

const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const ORDER_QUOTE = `query($id: ID!) {
  order(id: $id) { id quote { total currency breakdown { code description amount } distanceKm distanceSource billable rateCard { id code name version } } }
}`;
const PRICE = `query($input: PriceQuoteInput!) {
  priceQuote(input: $input) { total currency breakdown { code amount } distanceKm distanceSource chargeableWeightKg rateCard { code version } }
}`;
const RATE_CARDS = 'query { rateCards { id code isDefault latest { version name currency } versions { version } } }';
const PUBLISH = 'mutation($input: PublishRateCardVersionInput!) { publishRateCardVersion(input: $input) { id version name rules } }';
const CREATE_CARD = 'mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id code isDefault latest { version } } }';

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const error = (res: GqlResponse) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field });
const sum = (lines: Array<{ amount: string }>) => lines.reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0);

describe.each(TRANSPORTS)('billing through the gateway on the %s transport', (kind) => {
  let g: TestGraph;
  let dispatcher: string;
  let customer: string;
  let finance: string;
  let stranger: string;

  const createOrder = async (token: string, overrides: Record<string, unknown> = {}) => ok(await g.gql(CREATE_ORDER, { input: orderInput(overrides) }, token)).createOrder.id as string;
  const quoteOf = async (id: string, token = dispatcher) => (await g.gql(ORDER_QUOTE, { id }, token)).data?.order?.quote;
  const quoted = (id: string, token = dispatcher) => eventually('the order to be quoted', () => quoteOf(id, token).then((q) => q ?? undefined));

  beforeAll(async () => {
    g = await startTestGraphOn(kind);
    [dispatcher, customer, finance, stranger] = await Promise.all([
      g.login('dispatcher@demo.test'),
      g.login('customer@demo.test'),
      g.login('finance@demo.test'),
      g.login('dispatcher@globex.test'),
    ]);
  });
  afterAll(() => g?.close());

  it('given a new order, then it is quoted at once on the direct distance with the default card, explained line by line', async () => {
    const id = await createOrder(dispatcher);
    const quote = await quoted(id);
    expect(quote).toMatchObject({ currency: 'EUR', distanceSource: 'DIRECT', billable: true, rateCard: { code: 'ORG_DEFAULT', name: 'Default Standard Rate Card', version: 1 } });
    expect(quote.total).toMatch(/^\d+\.\d{2}$/);
    expect(quote.distanceKm).toBeGreaterThan(25);
    expect(quote.distanceKm).toBeLessThan(28);
    expect(quote.breakdown.map((l: { code: string }) => l.code)).toEqual(['BASE_FEE', 'PER_KM', 'VOLUMETRIC_WEIGHT', 'WEIGHT_TIERS', 'FUEL_SURCHARGE']);
    expect(sum(quote.breakdown)).toBe(Math.round(Number(quote.total) * 100));
  });

  it('given a quoted order, when its day is planned, then its checkout price holds and its share of the route is recorded as its cost to serve', async () => {
    const depot = { name: 'Billing hub', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 };
    const depotId = ok(await g.gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }', { input: depot }, dispatcher)).createDepot.id;
    const vehicle = { name: 'Billing van', plate: 'B-BILL-1', capacityKg: 500, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depotId };
    ok(await g.gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }', { input: vehicle }, dispatcher));
    const id = await createOrder(dispatcher);
    const direct = await quoted(id);
    await eventually('the order in the planning pool', async () => {
      const pool = ok(await g.gql('query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, dispatcher)).planningPool.edges;
      return pool.some((e: { node: { order: { id: string } } }) => e.node.order.id === id);
    });
    const plan = ok(await g.gql('mutation($d: ID!) { planDay(depotId: $d, date: "2031-01-05", timeLimitSeconds: 0.1) { routes { distanceKm stops { order { id } } } } }', { d: depotId }, dispatcher));
    const route = plan.planDay.routes.find((r: { stops: Array<{ order: { id: string } }> }) => r.stops.some((s) => s.order.id === id));
    const cost = await eventually('the cost to serve on the planned distance', async () => {
      const q = ok(await g.gql('query($id: ID!) { order(id: $id) { quote { plannedDistanceKm costToServe { amount } } } }', { id }, finance)).order.quote;
      return q.costToServe ? q : undefined;
    });
    expect(cost.plannedDistanceKm).toBeCloseTo(route.distanceKm / route.stops.length, 2);
    expect(await quoteOf(id)).toEqual(direct);
  });

  it('given a customer, then they see the quotes of their own orders, and another tenant sees nothing', async () => {
    const id = await createOrder(customer);
    expect((await quoted(id, customer)).rateCard.code).toBe('ORG_DEFAULT');
    expect((await g.gql(ORDER_QUOTE, { id }, stranger)).data?.order).toBeNull();
    expect(error(await g.gql(RATE_CARDS, {}, stranger))).toEqual({ code: 'FORBIDDEN', field: undefined });
    expect(error(await g.gql(RATE_CARDS, {}, customer)).code).toBe('FORBIDDEN');
  });

  it('prices ad hoc from a distance or from coordinates, with the caller’s card', async () => {
    const parcels = [{ weightKg: 2.5, lengthCm: 40, widthCm: 30, heightCm: 20 }];
    const given = ok(await g.gql(PRICE, { input: { parcels, distanceKm: 27 } }, dispatcher)).priceQuote;
    expect(given).toMatchObject({ total: '16.65', currency: 'EUR', distanceKm: 27, distanceSource: 'GIVEN', chargeableWeightKg: 4.8, rateCard: { code: 'ORG_DEFAULT', version: 1 } });
    const input = { parcels, pickup: { lat: 52.5306, lon: 13.3847 }, dropoff: { lat: 52.3989, lon: 13.0657 }, deliveryWindow: { start: '2031-01-05T10:00:00Z', end: '2031-01-05T11:00:00Z' } };
    const measured = ok(await g.gql(PRICE, { input }, customer)).priceQuote;
    expect(measured.distanceSource).toBe('DIRECT');
    expect(measured.breakdown.map((l: { code: string }) => l.code)).toContain('EXPRESS_SURCHARGE');
    expect(ok(await g.gql(PRICE, { input: { parcels, distanceKm: 27 } }, stranger)).priceQuote.rateCard.code).toBe('ORG_DEFAULT');
    expect(error(await g.gql(PRICE, { input: { parcels } }, dispatcher))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.distanceKm' });
    expect(error(await g.gql(PRICE, { input: { parcels: [{ weightKg: -1 }], distanceKm: 1 } }, dispatcher))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.parcels.0.weightKg' });
  });

  it('given a new version of the default card, then existing quotes keep their version and new orders get the new one', async () => {
    const before = await createOrder(dispatcher);
    const old = await quoted(before);
    const card = ok(await g.gql(RATE_CARDS, {}, finance)).rateCards.find((c: { code: string }) => c.code === 'ORG_DEFAULT');
    expect(card).toMatchObject({ isDefault: true, latest: { version: 1, name: 'Default Standard Rate Card', currency: 'EUR' } });
    const published = ok(
      await g.gql(PUBLISH, { input: { rateCardId: card.id, name: 'Default Standard Rate Card', currency: 'EUR', rules: [{ kind: 'BASE_FEE', amount: '100' }] } }, finance),
    ).publishRateCardVersion;
    expect(published).toMatchObject({ version: 2, rules: [{ kind: 'BASE_FEE', amount: '100' }] });

    const after = await createOrder(dispatcher);
    expect(await quoted(after)).toMatchObject({ total: '100.00', rateCard: { version: 2 }, breakdown: [{ code: 'BASE_FEE', amount: '100.00' }] });
    expect(await quoteOf(before)).toEqual(old);
    expect(error(await g.gql(PUBLISH, { input: { rateCardId: card.id, name: 'x', currency: 'EUR', rules: [{ kind: 'BASE_FEE', amount: '1' }] } }, dispatcher)).code).toBe('FORBIDDEN');
  });

  it('refuses bad rate cards, naming the field at fault', async () => {
    const create = (input: Record<string, unknown>) =>
      g.gql(CREATE_CARD, { input: { code: 'SPECIAL', name: 'Special', currency: 'EUR', rules: [{ kind: 'BASE_FEE', amount: '1' }], ...input } }, finance).then(error);
    const band = (fromKm: number, toKm: number | null) => ({ fromKm, toKm, amount: '1' });
    expect(await create({ rules: [{ kind: 'BASE_FEE', amount: '-1' }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rules.0.amount' });
    expect(await create({ rules: [{ kind: 'DISTANCE_BANDS', bands: [band(0, 10), band(5, null)] }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rules.0.bands.1.fromKm' });
    expect(await create({ rules: [{ kind: 'TELEPORT', amount: '1' }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rules.0.kind' });
    expect(await create({ effectiveFrom: '2031-02-01T00:00:00Z', effectiveTo: '2031-01-01T00:00:00Z' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.effectiveTo' });
    expect(await create({ currency: 'XXX' })).toEqual({ code: 'BAD_USER_INPUT', field: 'input.currency' });
    expect(await create({ code: 'ORG_DEFAULT' })).toEqual({ code: 'CONFLICT', field: 'input.code' });

    const created = ok(await g.gql(CREATE_CARD, { input: { code: 'SPECIAL', name: 'Special', currency: 'EUR', rules: [{ kind: 'BASE_FEE', amount: '1' }] } }, finance)).createRateCard;
    expect(created).toMatchObject({ code: 'SPECIAL', isDefault: false, latest: { version: 1 } });
  });
});
