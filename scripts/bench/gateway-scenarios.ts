import { graphqlClient } from '../demo/steps.ts';

/** What the gateway benchmark reads with: the dispatcher's token and the orders to look at. */
export interface BoardData {
  headers: Record<string, string>;
  orderIds: string[];
}

export interface Scenario {
  name: string;
  /** The n-th request's body (n from 0); every gateway is checked on the same n. */
  body(data: BoardData, n: number): string;
}

const ORDER_READ = 'query Order($id: ID!) { order(id: $id) { id status customer { email organization { name } } } }';

/** The reads users make most: one order with its customer, and the dispatcher's board across four subgraphs. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'single read: order(id) { id status customer { email organization { name } } }',
    body: (d) => JSON.stringify({ query: ORDER_READ, variables: { id: d.orderIds[0] } }),
  },
  {
    // Every request a different order: no two reads in flight are alike, so none is shared.
    name: 'single read, a different order each request',
    body: (d, n) => JSON.stringify({ query: ORDER_READ, variables: { id: d.orderIds[n % d.orderIds.length] } }),
  },
  {
    name: 'dispatcher board: orders(first: 50) { … customer quote eta }',
    body: () =>
      JSON.stringify({
        query:
          'query Board { orders(first: 50) { edges { node { id reference status weightKg customer { email } quote { total currency } eta } } pageInfo { hasNextPage endCursor } } }',
      }),
  },
];

const address = (i: number) => ({
  line1: `Teststr. ${i + 1}`,
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
  // Spread over the city, so the plan has real routes to build.
  lat: 52.45 + ((i * 37) % 100) / 1000,
  lon: 13.3 + ((i * 53) % 100) / 700,
});

/**
 * The dispatcher's day: a depot, vans, `orders` orders planned onto routes and priced, so every
 * field of the board has a value. Waits for the events that carry orders to planning and billing.
 */
export async function seedBoard(url: string, orders: number, log: (msg: string) => void): Promise<BoardData> {
  const gql = graphqlClient(url);
  const must = async (what: string, query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await gql(query, variables, token);
    if (res.errors || !res.data) throw new Error(`${what}: ${JSON.stringify(res.errors ?? res)}`);
    return res.data;
  };
  const token: string = (await must('login', 'mutation { login(email: "dispatcher@demo.test", password: "voidtracker") { accessToken } }', {})).login.accessToken;
  const suffix = Date.now().toString(36).toUpperCase();
  const depot = await must(
    'createDepot',
    'mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }',
    { input: { name: `Bench hub ${suffix}`, line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847, timeZone: 'Europe/Berlin' } },
    token,
  );
  const depotId: string = depot.createDepot.id;
  for (let v = 0; v < 4; v++) {
    await must(
      'createVehicle',
      'mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }',
      { input: { name: `Bench van ${v + 1}`, plate: `B-BN-${suffix}${v}`, capacityKg: 800, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depotId } },
      token,
    );
  }
  const ids: string[] = [];
  for (let i = 0; i < orders; i++) {
    const created = await must(
      'createOrder',
      'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      { input: { reference: `BENCH-${i + 1}`, pickup: address(orders + i), dropoff: address(i), parcels: [{ weightKg: 1 + (i % 7) }] } },
      token,
    );
    ids.push(created.createOrder.id);
  }
  const wanted = new Set(ids);
  await poll('the orders to reach planning', async () => {
    const pool = await must('planningPool', 'query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, token);
    return pool.planningPool.edges.filter((e: { node: { order: { id: string } } }) => wanted.has(e.node.order.id)).length === orders;
  });
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const plan = await must('planDay', 'mutation($d: ID!, $date: String!) { planDay(depotId: $d, date: $date) { routes { id } unserved { reason } } }', { d: depotId, date: tomorrow }, token);
  log(`planned ${plan.planDay.routes.length} routes, ${plan.planDay.unserved.length} orders unserved`);
  const planned = orders - plan.planDay.unserved.length;
  // Orders learn PLANNED and billing prices them from the events: wait until the board is whole.
  await poll('the board to show every order priced and every planned one PLANNED', async () => {
    const board = await must('orders', 'query { orders(first: 100) { edges { node { id status quote { total } } } } }', {}, token);
    const mine: Array<{ node: { status: string; quote: unknown } }> = board.orders.edges.filter((e: { node: { id: string } }) => wanted.has(e.node.id));
    return mine.length === orders && mine.every((e) => e.node.quote) && mine.filter((e) => e.node.status === 'PLANNED').length === planned;
  });
  return { headers: { authorization: `Bearer ${token}` }, orderIds: ids };
}

async function poll(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
